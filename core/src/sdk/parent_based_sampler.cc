#include "hoptrace/core/sdk/parent_based_sampler.h"

#include <utility>

#include "hoptrace/core/sdk/always_off_sampler.h"
#include "hoptrace/core/sdk/always_on_sampler.h"

namespace hoptrace::sdk {
namespace {

std::shared_ptr<Sampler> or_on(std::shared_ptr<Sampler> s) {
  return s ? std::move(s) : std::make_shared<AlwaysOnSampler>();
}
std::shared_ptr<Sampler> or_off(std::shared_ptr<Sampler> s) {
  return s ? std::move(s) : std::make_shared<AlwaysOffSampler>();
}

}  // namespace

ParentBasedSampler::ParentBasedSampler(std::shared_ptr<Sampler> root, Delegates delegates)
    : root_(or_on(std::move(root))) {
  delegates_.remote_parent_sampled = or_on(std::move(delegates.remote_parent_sampled));
  delegates_.remote_parent_not_sampled = or_off(std::move(delegates.remote_parent_not_sampled));
  delegates_.local_parent_sampled = or_on(std::move(delegates.local_parent_sampled));
  delegates_.local_parent_not_sampled = or_off(std::move(delegates.local_parent_not_sampled));
}

SamplingResult ParentBasedSampler::should_sample(const SpanContext& parent, const TraceId& trace_id,
                                                 std::string_view name, SpanKind kind,
                                                 ArrayView<Attribute> attributes,
                                                 ArrayView<Link> links) noexcept {
  Sampler* delegate;
  if (!parent.is_valid()) {
    delegate = root_.get();
  } else if (parent.is_remote()) {
    delegate = parent.is_sampled() ? delegates_.remote_parent_sampled.get()
                                   : delegates_.remote_parent_not_sampled.get();
  } else {
    delegate = parent.is_sampled() ? delegates_.local_parent_sampled.get()
                                   : delegates_.local_parent_not_sampled.get();
  }
  return delegate->should_sample(parent, trace_id, name, kind, attributes, links);
}

std::string ParentBasedSampler::description() const {
  return "ParentBased{root=" + root_->description() +
         ",remoteParentSampled=" + delegates_.remote_parent_sampled->description() +
         ",remoteParentNotSampled=" + delegates_.remote_parent_not_sampled->description() +
         ",localParentSampled=" + delegates_.local_parent_sampled->description() +
         ",localParentNotSampled=" + delegates_.local_parent_not_sampled->description() + "}";
}

}  // namespace hoptrace::sdk
