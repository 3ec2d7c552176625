#include "hoptrace/core/sdk/tracer_provider.h"

#include <utility>

#include "hoptrace/core/context.h"
#include "hoptrace/core/sdk/always_on_sampler.h"
#include "hoptrace/core/sdk/link_aware_sampler.h"
#include "hoptrace/core/sdk/parent_based_sampler.h"
#include "sdk/env.h"
#include "sdk/provider_state.h"
#include "sdk/sdk_tracer.h"
#include "sdk/span_clock.h"

namespace hoptrace::sdk {

TracerProviderOptions TracerProviderOptions::from_environment() {
  TracerProviderOptions options;
  options.resource = Resource::from_environment();
  options.sampler = sampler_from_environment();
  options.limits = SpanLimits::from_environment();
  if (const auto disabled = sdk::detail::env_value("OTEL_SDK_DISABLED")) {
    options.disabled = sdk::detail::to_lower(*disabled) == "true";
  }
  return options;
}

TracerProvider::TracerProvider(TracerProviderOptions options)
    : state_(std::make_shared<detail::ProviderState>()) {
  detail::SpanClock::prepare();
  detail::ProviderState& st = *state_;
  st.resource = std::move(options.resource);
  std::shared_ptr<Sampler> sampler = std::move(options.sampler);
  if (!sampler) sampler = std::make_shared<ParentBasedSampler>(std::make_shared<AlwaysOnSampler>());
  if (options.link_aware_sampling) sampler = std::make_shared<LinkAwareSampler>(std::move(sampler));
  st.sampler = std::move(sampler);
  st.sampling_plan = detail::SamplingPlan::build(*st.sampler);
  st.id_generator_owner = std::move(options.id_generator);
  st.ids = st.id_generator_owner ? st.id_generator_owner.get() : &default_id_generator();
  st.default_ids = st.ids == &default_id_generator();
  st.limits = options.limits;
  st.disabled = options.disabled;
}

TracerProvider::~TracerProvider() {
  shutdown(std::chrono::steady_clock::now() + kDestructorTimeout);
}

void TracerProvider::add_processor(std::unique_ptr<SpanProcessor> processor) {
  if (!processor) return;
  detail::ProviderState& st = *state_;
  std::lock_guard<std::mutex> lock(st.mutex);
  const detail::ProcessorList* current = st.active.load(std::memory_order_relaxed);
  auto next = std::make_unique<detail::ProcessorList>();
  if (current != nullptr) *next = *current;
  next->all.push_back(processor.get());
  if (processor->needs_on_start()) next->starting.push_back(processor.get());
  st.owned_processors.reserve(st.owned_processors.size() + 1);
  st.lists.reserve(st.lists.size() + 1);
  st.owned_processors.push_back(std::move(processor));
  st.active.store(next.get(), std::memory_order_release);
  st.lists.push_back(std::move(next));
}

std::shared_ptr<Tracer> TracerProvider::get_tracer(std::string_view name,
                                                   std::string_view version) {
  detail::ProviderState& st = *state_;
  const InstrumentationScope* scope;
  {
    std::lock_guard<std::mutex> lock(st.mutex);
    auto& slot = st.scopes[{std::string(name), std::string(version)}];
    if (!slot)
      slot = std::make_unique<InstrumentationScope>(
          InstrumentationScope{std::string(name), std::string(version)});
    scope = slot.get();
  }
  return std::make_shared<detail::SdkTracer>(state_, scope);
}

bool TracerProvider::force_flush(Deadline deadline) noexcept {
  const detail::ProcessorList* processors = state_->active.load(std::memory_order_acquire);
  if (processors == nullptr) return true;
  bool ok = true;
  for (SpanProcessor* p : processors->all) ok = p->force_flush(deadline) && ok;
  return ok;
}

bool TracerProvider::shutdown(Deadline deadline) noexcept {
  detail::ProviderState& st = *state_;
  std::lock_guard<std::mutex> lock(st.shutdown_mutex);
  if (st.shutdown_done) return st.shutdown_result;
  st.shut_down.store(true, std::memory_order_relaxed);
  const detail::ProcessorList* processors = st.active.load(std::memory_order_acquire);
  bool ok = true;
  if (processors != nullptr) {
    for (SpanProcessor* p : processors->all) ok = p->shutdown(deadline) && ok;
  }
  st.shutdown_done = true;
  st.shutdown_result = ok;
  return ok;
}

const Resource& TracerProvider::resource() const noexcept { return state_->resource; }
const Sampler& TracerProvider::sampler() const noexcept { return *state_->sampler; }
const SpanLimits& TracerProvider::limits() const noexcept { return state_->limits; }

TracerProviderStats TracerProvider::stats() const noexcept {
  TracerProviderStats s;
  const detail::ProcessorList* processors = state_->active.load(std::memory_order_acquire);
  if (processors != nullptr) {
    for (const SpanProcessor* p : processors->all) {
      const ProcessorStats ps = p->stats();
      s.processors.exported += ps.exported;
      s.processors.dropped_queue_full += ps.dropped_queue_full;
      s.processors.dropped_rejected += ps.dropped_rejected;
      s.processors.dropped_failed += ps.dropped_failed;
      s.processors.dropped_too_large += ps.dropped_too_large;
      s.processors.dropped_shutdown += ps.dropped_shutdown;
    }
  }
  state_->counters.totals(&s.spans_started, &s.spans_recorded, &s.spans_sampled);
  s.scope_misuse = scope_misuse_count();
  return s;
}

}  // namespace hoptrace::sdk
