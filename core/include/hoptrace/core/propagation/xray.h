#pragma once

#include <cstddef>
#include <string_view>

#include "hoptrace/core/propagator.h"

namespace hoptrace {

/// AWS X-Ray propagation (`X-Amzn-Trace-Id`; OTEL_PROPAGATORS name `xray`).
///
/// Extract reads the first `x-amzn-trace-id` value:
/// `Root=1-{8hex}-{24hex};Parent={16hex};Sampled={0|1}[;k=v...]`, `;`-separated pairs with
/// spaces and tabs trimmed, keys matched case-insensitively. Root's epoch part may be shorter
/// than 8 digits (left-padded); the trace id is the epoch part followed by the 24 digits.
/// `Sampled` other than `0`/`1` (including X-Ray's `?`), a missing Root or Parent, a repeated
/// Root/Parent/Sampled, a zero id, or a control or non-ASCII byte make the header invalid
/// (counted). A missing Sampled reads as not sampled.
///
/// Other pairs (`Lineage=...`, `Self=...`) never fail parsing: they are kept verbatim, in order,
/// in Context::xray_passthrough (at most kMaxPassthroughLength chars, whole pairs; the rest are
/// dropped and counted) and re-emitted after Sampled by inject, so a consumer that produces
/// under the extracted context forwards them. Parts without `=` are dropped silently.
///
/// Inject, for a valid span context: `Root=1-{8}-{24};Parent={16};Sampled={0|1}` plus the
/// passthrough pairs. Nothing is allocated on either path (the passthrough string is allocated
/// only when extract finds pairs to keep).
///
/// Rejections are counted under PropagationFormat::kXRay. Immutable; thread-safe.
class XRayPropagator final : public TextMapPropagator {
 public:
  /// The field name, lowercase as injected.
  static constexpr std::string_view kHeader = "x-amzn-trace-id";
  /// Longest header value we parse; longer ones are rejected unread as kOversized.
  static constexpr std::size_t kMaxHeaderLength = 2048;
  /// Longest passthrough we keep (the joined pairs).
  static constexpr std::size_t kMaxPassthroughLength = 512;

  XRayPropagator() noexcept = default;

  /// Writes the header for a valid span context (with its passthrough pairs).
  void inject(const Context& context, CarrierWriter& carrier) const noexcept override;
  /// On a valid header, replaces context.span_context and context.xray_passthrough.
  void extract(const CarrierReader& carrier, Context& context) const noexcept override;
  /// `x-amzn-trace-id`.
  void fields(FieldSet& out) const override;
  /// `xray`, as in OTEL_PROPAGATORS.
  std::string_view name() const noexcept override { return "xray"; }

  /// Parses one header value into `context` as extract does (used for the Lambda environment
  /// variable). Returns whether a valid span context was found; `field` names the source in
  /// diagnostics.
  static bool extract_value(std::string_view value, std::string_view field,
                            Context& context) noexcept;
};

/// X-Ray propagation inside AWS Lambda (OTEL_PROPAGATORS name `xray-lambda`). Like
/// XRayPropagator, but when the context still has no valid span context after reading the
/// carrier (neither this nor an earlier propagator in the composite found one), it reads the
/// `_X_AMZN_TRACE_ID` environment variable that the Lambda runtime sets per invocation.
///
/// The variable is read on every such extract (getenv: no allocation). Thread-safety: as for
/// getenv, nothing may call setenv concurrently. Replaces `xray` (never configure both).
class XRayLambdaPropagator final : public TextMapPropagator {
 public:
  /// The variable the Lambda runtime sets to the invocation's X-Ray header.
  static constexpr const char* kEnvironmentVariable = "_X_AMZN_TRACE_ID";

  XRayLambdaPropagator() noexcept = default;

  /// As XRayPropagator::inject.
  void inject(const Context& context, CarrierWriter& carrier) const noexcept override {
    xray_.inject(context, carrier);
  }
  /// XRayPropagator::extract, then the environment variable if the context is still invalid.
  void extract(const CarrierReader& carrier, Context& context) const noexcept override;
  /// As XRayPropagator::fields.
  void fields(FieldSet& out) const override { xray_.fields(out); }
  /// `xray-lambda`, as in OTEL_PROPAGATORS.
  std::string_view name() const noexcept override { return "xray-lambda"; }

 private:
  XRayPropagator xray_;
};

}  // namespace hoptrace
