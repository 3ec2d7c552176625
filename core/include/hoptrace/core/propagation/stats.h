#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hoptrace {

/// The wire formats hoptrace reads and writes.
enum class PropagationFormat : std::uint8_t {
  kTraceContext,
  kBaggage,
  kB3,
  kB3Multi,
  kJaeger,
  kXRay,
  kCount_,
};

/// Why a field was rejected (on extract) or could not be written (on inject).
enum class RejectReason : std::uint8_t {
  kMalformed,           ///< breaks the format's grammar
  kInvalidId,           ///< an all-zero trace or span id
  kUnsupportedVersion,  ///< a version we must not read (traceparent `ff`)
  kDuplicate,           ///< a field repeated where the format forbids it
  kOversized,           ///< longer than the format's limit; not read
  kInvalidTraceState,   ///< a tracestate discarded whole (traceparent kept)
  kDroppedMember,       ///< a list member dropped (baggage grammar, caps)
  kInjectFailed,        ///< the carrier refused a field on inject
  kCount_,
};

std::string_view to_string(PropagationFormat format) noexcept;
std::string_view to_string(RejectReason reason) noexcept;

/// A snapshot of the process-wide rejection counters.
struct PropagationStats {
  static constexpr std::size_t kFormats = static_cast<std::size_t>(PropagationFormat::kCount_);
  static constexpr std::size_t kReasons = static_cast<std::size_t>(RejectReason::kCount_);
  std::array<std::array<std::uint64_t, kReasons>, kFormats> rejected{};

  std::uint64_t count(PropagationFormat f, RejectReason r) const noexcept {
    return rejected[static_cast<std::size_t>(f)][static_cast<std::size_t>(r)];
  }
  std::uint64_t total() const noexcept;
};

/// Reads the counters (relaxed atomics: cheap, eventually consistent across threads).
PropagationStats propagation_stats() noexcept;

/// One rejected field, as reported to the diagnostic handler.
struct PropagationDiagnostic {
  PropagationFormat format;
  RejectReason reason;
  std::string_view field;  ///< the header name
  std::string_view value;  ///< the value, truncated to at most 128 bytes
};

/// Called (on the thread that extracted) for each rejection, at most kMaxDiagnosticsPerSecond
/// times a second; the counters count every one regardless. Pass nullptr to stop. The handler
/// must be noexcept-safe: exceptions it throws are swallowed.
using PropagationDiagnosticHandler = void (*)(const PropagationDiagnostic&) noexcept;
void set_propagation_diagnostic_handler(PropagationDiagnosticHandler handler) noexcept;
inline constexpr std::uint32_t kMaxDiagnosticsPerSecond = 10;

namespace detail {
/// Counts a rejection and forwards it to the diagnostic handler (rate-limited). Cold path.
void report_rejection(PropagationFormat format, RejectReason reason, std::string_view field,
                      std::string_view value) noexcept;
}  // namespace detail

}  // namespace hoptrace
