#pragma once

#include "hoptrace/core/sdk/sampler.h"

namespace hoptrace::sdk {

/// Drops every span (contexts still propagate). Stateless and thread-safe.
class AlwaysOffSampler final : public Sampler {
 public:
  SamplingResult should_sample(const SpanContext& parent, const TraceId& trace_id,
                               std::string_view name, SpanKind kind,
                               ArrayView<Attribute> attributes,
                               ArrayView<Link> links) noexcept override;
  /// `AlwaysOffSampler`.
  std::string description() const override;
  /// Always kDrop.
  std::optional<SamplingDecision> constant_decision() const noexcept override {
    return SamplingDecision::kDrop;
  }
};

}  // namespace hoptrace::sdk
