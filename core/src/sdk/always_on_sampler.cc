#include "hoptrace/core/sdk/always_on_sampler.h"

namespace hoptrace::sdk {

SamplingResult AlwaysOnSampler::should_sample(const SpanContext&, const TraceId&, std::string_view,
                                              SpanKind, ArrayView<Attribute>,
                                              ArrayView<Link>) noexcept {
  return {SamplingDecision::kRecordAndSample, std::nullopt};
}

std::string AlwaysOnSampler::description() const { return "AlwaysOnSampler"; }

}  // namespace hoptrace::sdk
