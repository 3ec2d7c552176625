#include "sdk/sampling_plan.h"

#include <optional>

#include "hoptrace/core/sdk/link_aware_sampler.h"
#include "hoptrace/core/sdk/parent_based_sampler.h"

namespace hoptrace::sdk::detail {

SamplingPlan SamplingPlan::build(const Sampler& sampler) noexcept {
  SamplingPlan plan;
  const Sampler* inner = &sampler;
  // Only the SDK's own (final) composites are looked into: their behaviour is known exactly.
  if (const auto* link_aware = dynamic_cast<const LinkAwareSampler*>(inner)) {
    plan.link_aware_ = true;
    inner = link_aware->delegate().get();
  }
  if (const std::optional<SamplingDecision> d = inner->constant_decision()) {
    plan.table_.fill(*d);
    plan.constant_ = true;
    return plan;
  }
  const auto* parent_based = dynamic_cast<const ParentBasedSampler*>(inner);
  if (parent_based == nullptr) return plan;
  const ParentBasedSampler::Delegates& delegates = parent_based->delegates();
  const Sampler* by_case[kParentCases] = {
      parent_based->root().get(),
      delegates.remote_parent_sampled.get(),
      delegates.remote_parent_not_sampled.get(),
      delegates.local_parent_sampled.get(),
      delegates.local_parent_not_sampled.get(),
  };
  for (std::size_t i = 0; i < kParentCases; ++i) {
    const std::optional<SamplingDecision> d = by_case[i]->constant_decision();
    if (!d) return plan;
    plan.table_[i] = *d;
  }
  plan.constant_ = true;
  return plan;
}

}  // namespace hoptrace::sdk::detail
