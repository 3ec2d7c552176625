#pragma once

#include <cstddef>
#include <string_view>

#include "hoptrace/core/propagator.h"

namespace hoptrace {

/// Jaeger propagation (`uber-trace-id`, `uberctx-*` baggage; OTEL_PROPAGATORS name `jaeger`).
///
/// Extract: the first `uber-trace-id` value is percent-decoded (`%3A`), then read as
/// `{trace}:{span}:{parent}:{flags}`: trace 1-32 hex digits and span 1-16, left-padded; the
/// deprecated parent must be 1-16 hex digits and is ignored; flags are 1-2 hex digits, 0x01
/// sampled, 0x02 debug (read as sampled). A zero id or any other shape is rejected and counted.
/// Every `uberctx-{key}` field becomes a baggage entry `{key}` (value percent-decoded), merged
/// into context.baggage over what is already there, even when there is no `uber-trace-id`.
/// Entries with an empty key, a key that is not an RFC 7230 token, a bad escape or past the
/// Baggage caps are dropped and counted (kDroppedMember).
///
/// Inject: `uber-trace-id: {32hex}:{16hex}:0:{01|00}` for a valid span context, and one
/// `uberctx-{key}` field per baggage entry. Baggage values are percent-encoded except for
/// unreserved and common printable characters (`A-Za-z0-9-._~!$&'()*+,/:;=?@[]` and so on): a
/// plain value is sent raw, which TEXT_MAP readers expect, while `%`, spaces, control and
/// non-ASCII bytes are escaped so that HTTP_HEADERS readers (which always decode) get the same
/// value back and no carrier ever sees a control byte. Injecting the trace id allocates nothing;
/// baggage reuses a per-thread buffer.
///
/// Rejections are counted under PropagationFormat::kJaeger. Immutable; thread-safe.
class JaegerPropagator final : public TextMapPropagator {
 public:
  /// The trace field name.
  static constexpr std::string_view kTraceHeader = "uber-trace-id";
  /// The prefix of baggage fields (`uberctx-{key}`).
  static constexpr std::string_view kBaggagePrefix = "uberctx-";
  /// Longest raw `uber-trace-id` value we read (3x the longest decoded one, for escapes).
  static constexpr std::size_t kMaxHeaderLength = 3 * (32 + 1 + 16 + 1 + 16 + 1 + 2);

  JaegerPropagator() noexcept = default;

  /// Writes `uber-trace-id` for a valid span context and `uberctx-*` for each baggage entry.
  void inject(const Context& context, CarrierWriter& carrier) const noexcept override;
  /// Replaces context.span_context on a valid `uber-trace-id`; merges `uberctx-*` into
  /// context.baggage.
  void extract(const CarrierReader& carrier, Context& context) const noexcept override;
  /// `uber-trace-id` and the `uberctx-` prefix.
  void fields(FieldSet& out) const override;
  /// `jaeger`, as in OTEL_PROPAGATORS.
  std::string_view name() const noexcept override { return "jaeger"; }
};

}  // namespace hoptrace
