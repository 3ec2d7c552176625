#pragma once

#include <utility>

#include "hoptrace/core/ids.h"
#include "hoptrace/core/trace_state.h"

namespace hoptrace {

/// The part of a span that crosses process boundaries: trace id, span id, flags, trace state,
/// and whether it came from another process (extracted) rather than being created here.
/// A default-constructed SpanContext is invalid. Copying is cheap: 128 bytes, no allocation and
/// no atomic operation unless the trace state is longer than TraceState::kInlineCapacity.
class SpanContext {
 public:
  SpanContext() noexcept = default;
  SpanContext(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags,
              bool is_remote) noexcept
      : trace_id_(trace_id), span_id_(span_id), trace_flags_(flags), is_remote_(is_remote) {}
  SpanContext(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags, bool is_remote,
              const TraceState& trace_state) noexcept
      : trace_id_(trace_id),
        span_id_(span_id),
        trace_flags_(flags),
        is_remote_(is_remote),
        trace_state_(trace_state) {}
  /// Takes `trace_state` over (it is left empty).
  SpanContext(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags, bool is_remote,
              TraceState&& trace_state) noexcept
      : trace_id_(trace_id),
        span_id_(span_id),
        trace_flags_(flags),
        is_remote_(is_remote),
        trace_state_(std::move(trace_state)) {}

  const TraceId& trace_id() const noexcept { return trace_id_; }
  const SpanId& span_id() const noexcept { return span_id_; }
  TraceFlags trace_flags() const noexcept { return trace_flags_; }
  bool is_sampled() const noexcept { return trace_flags_.sampled(); }
  bool is_remote() const noexcept { return is_remote_; }
  const TraceState& trace_state() const noexcept { return trace_state_; }
  /// Valid when both ids are non-zero.
  bool is_valid() const noexcept { return trace_id_.is_valid() && span_id_.is_valid(); }

  /// Same ids, flags and remoteness (trace state compared too).
  friend bool operator==(const SpanContext& a, const SpanContext& b) noexcept {
    return a.trace_id_ == b.trace_id_ && a.span_id_ == b.span_id_ &&
           a.trace_flags_ == b.trace_flags_ && a.is_remote_ == b.is_remote_ &&
           a.trace_state_ == b.trace_state_;
  }
  friend bool operator!=(const SpanContext& a, const SpanContext& b) noexcept { return !(a == b); }

 private:
  TraceId trace_id_;
  SpanId span_id_;
  TraceFlags trace_flags_;
  bool is_remote_ = false;
  TraceState trace_state_;
};

}  // namespace hoptrace
