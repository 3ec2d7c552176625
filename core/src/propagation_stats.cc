#include <algorithm>
#include <atomic>
#include <chrono>

#include "hoptrace/core/propagation/stats.h"

namespace hoptrace {
namespace {

using Counters = std::array<std::array<std::atomic<std::uint64_t>, PropagationStats::kReasons>,
                            PropagationStats::kFormats>;

Counters& counters() noexcept {
  static Counters c{};
  return c;
}

std::atomic<PropagationDiagnosticHandler> g_handler{nullptr};
// Rate limit for the handler: a one-second window and the number of reports in it.
std::atomic<std::int64_t> g_window_second{0};
std::atomic<std::uint32_t> g_reports_in_window{0};

bool take_report_slot() noexcept {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::steady_clock::now().time_since_epoch())
                       .count();
  std::int64_t window = g_window_second.load(std::memory_order_relaxed);
  if (window != now && g_window_second.compare_exchange_strong(window, now)) {
    g_reports_in_window.store(0, std::memory_order_relaxed);
  }
  return g_reports_in_window.fetch_add(1, std::memory_order_relaxed) < kMaxDiagnosticsPerSecond;
}

}  // namespace

std::string_view to_string(PropagationFormat format) noexcept {
  switch (format) {
    case PropagationFormat::kTraceContext: return "tracecontext";
    case PropagationFormat::kBaggage: return "baggage";
    case PropagationFormat::kB3: return "b3";
    case PropagationFormat::kB3Multi: return "b3multi";
    case PropagationFormat::kJaeger: return "jaeger";
    case PropagationFormat::kXRay: return "xray";
    case PropagationFormat::kCount_: break;
  }
  return "unknown";
}

std::string_view to_string(RejectReason reason) noexcept {
  switch (reason) {
    case RejectReason::kMalformed: return "malformed";
    case RejectReason::kInvalidId: return "invalid_id";
    case RejectReason::kUnsupportedVersion: return "unsupported_version";
    case RejectReason::kDuplicate: return "duplicate";
    case RejectReason::kOversized: return "oversized";
    case RejectReason::kInvalidTraceState: return "invalid_tracestate";
    case RejectReason::kDroppedMember: return "dropped_member";
    case RejectReason::kInjectFailed: return "inject_failed";
    case RejectReason::kCount_: break;
  }
  return "unknown";
}

std::uint64_t PropagationStats::total() const noexcept {
  std::uint64_t sum = 0;
  for (const auto& row : rejected) {
    for (std::uint64_t v : row) sum += v;
  }
  return sum;
}

PropagationStats propagation_stats() noexcept {
  PropagationStats s;
  auto& c = counters();
  for (std::size_t f = 0; f < PropagationStats::kFormats; ++f) {
    for (std::size_t r = 0; r < PropagationStats::kReasons; ++r) {
      s.rejected[f][r] = c[f][r].load(std::memory_order_relaxed);
    }
  }
  return s;
}

void set_propagation_diagnostic_handler(PropagationDiagnosticHandler handler) noexcept {
  g_handler.store(handler, std::memory_order_release);
}

namespace detail {

void report_rejection(PropagationFormat format, RejectReason reason, std::string_view field,
                      std::string_view value) noexcept {
  const auto f = static_cast<std::size_t>(format);
  const auto r = static_cast<std::size_t>(reason);
  if (f >= PropagationStats::kFormats || r >= PropagationStats::kReasons) return;
  counters()[f][r].fetch_add(1, std::memory_order_relaxed);
  PropagationDiagnosticHandler handler = g_handler.load(std::memory_order_acquire);
  if (handler == nullptr || !take_report_slot()) return;
  handler(PropagationDiagnostic{format, reason, field, value.substr(0, std::min<std::size_t>(value.size(), 128))});
}

}  // namespace detail
}  // namespace hoptrace
