#include "hoptrace/core/sdk/link_aware_sampler.h"

#include <utility>

#include "hoptrace/core/error.h"

namespace hoptrace::sdk {

LinkAwareSampler::LinkAwareSampler(std::shared_ptr<Sampler> delegate)
    : delegate_(std::move(delegate)) {
  if (!delegate_)
    throw ConfigError("LinkAwareSampler needs a delegate sampler; pass e.g. a ParentBasedSampler");
}

SamplingResult LinkAwareSampler::should_sample(const SpanContext& parent, const TraceId& trace_id,
                                               std::string_view name, SpanKind kind,
                                               ArrayView<Attribute> attributes,
                                               ArrayView<Link> links) noexcept {
  SamplingResult result = delegate_->should_sample(parent, trace_id, name, kind, attributes, links);
  if (result.decision == SamplingDecision::kRecordAndSample) return result;
  for (const Link& link : links) {
    if (link.context.is_valid() && link.context.is_sampled()) {
      result.decision = SamplingDecision::kRecordAndSample;
      break;
    }
  }
  return result;
}

std::string LinkAwareSampler::description() const {
  return "LinkAware{" + delegate_->description() + "}";
}

}  // namespace hoptrace::sdk
