#pragma once

#include <cstdint>

#include "hoptrace/core/sdk/sampler.h"

namespace hoptrace::sdk {

/// Samples a fixed fraction of traces, decided by the trace id alone so every service with the
/// same ratio agrees (OpenTelemetry's consistent form): the span is sampled when the trace id's
/// least-significant 56 bits (the W3C Level 2 random part) are at least
/// `round((1 - ratio) * 2^56)`. A trace sampled at ratio r is also sampled at every ratio > r.
/// The parent is ignored; wrap it in ParentBasedSampler to follow the parent. Thread-safe.
class TraceIdRatioBasedSampler final : public Sampler {
 public:
  /// `ratio` is clamped to [0, 1]; NaN counts as 0.
  explicit TraceIdRatioBasedSampler(double ratio) noexcept;

  SamplingResult should_sample(const SpanContext& parent, const TraceId& trace_id,
                               std::string_view name, SpanKind kind,
                               ArrayView<Attribute> attributes,
                               ArrayView<Link> links) noexcept override;
  /// `TraceIdRatioBased{<ratio>}`, e.g. `TraceIdRatioBased{0.25}`.
  std::string description() const override;
  /// kRecordAndSample at ratio 1, kDrop at ratio 0, otherwise nullopt (the trace id decides).
  std::optional<SamplingDecision> constant_decision() const noexcept override;

  double ratio() const noexcept { return ratio_; }
  /// The rejection threshold: ids whose low 56 bits are below it are dropped (0 = keep all,
  /// 2^56 = keep none).
  std::uint64_t threshold() const noexcept { return threshold_; }

 private:
  double ratio_;
  std::uint64_t threshold_;
};

}  // namespace hoptrace::sdk
