#pragma once

#include "hoptrace/core/sdk/sampler.h"

namespace hoptrace::sdk {

/// Records and samples every span. Stateless and thread-safe.
class AlwaysOnSampler final : public Sampler {
 public:
  SamplingResult should_sample(const SpanContext& parent, const TraceId& trace_id,
                               std::string_view name, SpanKind kind,
                               ArrayView<Attribute> attributes,
                               ArrayView<Link> links) noexcept override;
  /// `AlwaysOnSampler`.
  std::string description() const override;
  /// Always kRecordAndSample.
  std::optional<SamplingDecision> constant_decision() const noexcept override {
    return SamplingDecision::kRecordAndSample;
  }
};

}  // namespace hoptrace::sdk
