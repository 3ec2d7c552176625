#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "hoptrace/core/span_context.h"
#include "hoptrace/core/trace_state.h"

/// \file
/// The hop counter: how many broker hops a trace has crossed, carried in the W3C trace state as
/// hoptrace's own vendor member `hoptrace=h:<n>`.
///
/// - `hoptrace` is a valid simple key (Level 1 and 2) and `h:<n>` a valid value (`h`, `:` and
///   digits are all in nblk-chr), so every W3C implementation passes the member on untouched.
/// - Readers accept further `;`-separated sub-entries in the value and ignore them (room for
///   later data, as OpenTelemetry's `ot=th:..;rv:..`); writers currently write `h:<n>` only.
/// - Who writes it: only a consumer span started under ConsumerTraceMode::kNewTraceAfterHops
///   that becomes the child of a message's creation context. It continues the count: its trace
///   state is the creation context's with `h:<n+1>` (the member moves to the left, as W3C
///   mutation requires). Producers never touch it: they inherit their parent's trace state, so
///   the next message's creation context carries the count on.
/// - A consumer that starts a new trace (root) resets the count: a root span carries no trace
///   state, so the member is gone and the next hop counts from 0.
/// - Under every other policy nothing reads or writes it (the default path allocates nothing);
///   a member already present simply travels with the trace state, unchanged.

namespace hoptrace::messaging {

/// The trace-state key of the hop counter.
inline constexpr std::string_view kHopTraceStateKey = "hoptrace";
/// Counts saturate here (and longer digit strings are rejected as malformed).
inline constexpr std::uint32_t kMaxHopCount = 9'999'999;

/// Parses a `hoptrace` member value; the `h` sub-entry is the count. nullopt when there is no
/// `h` sub-entry or it is not 1..7 decimal digits.
std::optional<std::uint32_t> parse_hop_value(std::string_view value) noexcept;

/// A formatted member value (`h:<n>`), held inline.
class HopValue {
 public:
  explicit HopValue(std::uint32_t hops) noexcept;
  /// Lives as long as this object.
  std::string_view view() const noexcept { return std::string_view(data_, size_); }

 private:
  char data_[12] = {};
  std::size_t size_ = 0;
};

/// The hop count in `state`; 0 when the member is absent or malformed. Never allocates.
std::uint32_t hop_count(const TraceState& state) noexcept;
/// The hop count in `context`'s trace state.
inline std::uint32_t hop_count(const SpanContext& context) noexcept {
  return hop_count(context.trace_state());
}

/// `base` with the member set to `h:<hops>` (saturating at kMaxHopCount) and moved to the left;
/// if `base` already has 32 members the right-most one is dropped (W3C). Allocates the new
/// state; on allocation failure returns `base` unchanged rather than throwing.
TraceState trace_state_with_hop_count(const TraceState& base, std::uint32_t hops) noexcept;

/// The trace state a consumer span that continues the trace of `creation_context` carries:
/// its trace state with the count incremented.
inline TraceState next_hop_trace_state(const SpanContext& creation_context) noexcept {
  const std::uint32_t hops = hop_count(creation_context);
  return trace_state_with_hop_count(creation_context.trace_state(),
                                    hops < kMaxHopCount ? hops + 1 : kMaxHopCount);
}

}  // namespace hoptrace::messaging
