#include "hoptrace/core/sdk/always_off_sampler.h"

namespace hoptrace::sdk {

SamplingResult AlwaysOffSampler::should_sample(const SpanContext&, const TraceId&, std::string_view,
                                               SpanKind, ArrayView<Attribute>,
                                               ArrayView<Link>) noexcept {
  return {SamplingDecision::kDrop, std::nullopt};
}

std::string AlwaysOffSampler::description() const { return "AlwaysOffSampler"; }

}  // namespace hoptrace::sdk
