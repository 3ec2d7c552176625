#pragma once

#include <cstddef>
#include <string_view>

#include "hoptrace/core/propagator.h"

namespace hoptrace {

/// The W3C Trace Context propagator (`traceparent` + `tracestate`), parsing per Level 2 and
/// writing version `00`.
///
/// Extract: a valid traceparent replaces context.span_context with a remote SpanContext that
/// keeps all 8 flag bits as received (undefined bits are cleared only when written again). A
/// traceparent that is invalid, or repeated on a kHttpFieldLines carrier, leaves the context
/// untouched and its tracestate unread. A tracestate that is invalid is discarded whole and
/// never invalidates the traceparent. Several tracestate lines are joined with `,` on
/// kHttpFieldLines carriers; kLastWins carriers (brokers) use the last occurrence of each field.
/// Every rejection is counted in propagation_stats() under PropagationFormat::kTraceContext.
///
/// Inject: writes `traceparent` (from a stack buffer, without allocating) when the span context
/// is valid, and `tracestate` when it is non-empty.
///
/// Stateless: one instance may be shared by any number of threads.
class TraceContextPropagator final : public TextMapPropagator {
 public:
  /// The field names, lowercase as W3C says to send them (carriers match them as documented).
  static constexpr std::string_view kTraceParent = "traceparent";
  /// See kTraceParent.
  static constexpr std::string_view kTraceState = "tracestate";
  /// Length of a version-00 traceparent: `00-` + 32 + `-` + 16 + `-` + 2.
  static constexpr std::size_t kTraceParentLength = 55;

  /// Writes traceparent (and tracestate when non-empty) for a valid span context; nothing
  /// otherwise. A field the carrier refuses is counted as kInjectFailed.
  void inject(const Context& context, CarrierWriter& carrier) const noexcept override;
  /// Replaces context.span_context when the carrier holds a valid traceparent.
  void extract(const CarrierReader& carrier, Context& context) const noexcept override;
  /// Adds `traceparent` and `tracestate`.
  void fields(FieldSet& out) const override;
  /// `tracecontext`, as in OTEL_PROPAGATORS.
  std::string_view name() const noexcept override { return "tracecontext"; }
};

}  // namespace hoptrace
