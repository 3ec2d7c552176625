#include "sdk/sdk_tracer.h"

#include <chrono>

#include "hoptrace/core/sdk/span_data_pool.h"
#include "sdk/recording_span.h"

namespace hoptrace::sdk::detail {
namespace {

// Namespace-scope rather than function-local: no initialisation guard on the per-span path.
const SpanContext kInvalidContext;
const TraceState kEmptyTraceState;

std::atomic<std::size_t> g_next_thread{0};
constexpr std::size_t kUnassigned = ~std::size_t{0};
thread_local std::size_t t_thread_number = kUnassigned;

}  // namespace

SpanCounters::Slot SpanCounters::slot_of_this_thread() noexcept {
  std::size_t n = t_thread_number;
  if (n == kUnassigned) {
    n = g_next_thread.fetch_add(1, std::memory_order_relaxed);
    t_thread_number = n;
  }
  return {n % kStripes, n < kStripes};
}

Span SdkTracer::start_span(std::string_view name, const SpanStartOptions& options) noexcept {
  ProviderState& st = *state_;
  const Context* ambient = nullptr;
  const SpanContext* parent = &kInvalidContext;
  switch (options.parent_source) {
    case ParentSource::kAmbient:
      ambient = &Context::current();
      parent = &ambient->span_context;
      break;
    case ParentSource::kExplicit:
      parent = &options.parent;
      break;
    case ParentSource::kRoot:
      break;
  }

  if (st.disabled || st.shut_down.load(std::memory_order_relaxed)) {
    // Not recording, but the trace must not break: the caller propagates the parent as is.
    return Span(*parent, nullptr);
  }

  const bool has_parent = parent->is_valid();
  if (!has_parent) parent = &kInvalidContext;
  TraceId trace_id;
  std::uint8_t flag_bits;
  if (has_parent) {
    trace_id = parent->trace_id();
    flag_bits = parent->trace_flags().bits();
  } else {
    trace_id = st.ids->new_trace_id();
    flag_bits = st.ids->trace_ids_are_random() ? TraceFlags::kRandomTraceId : 0;
  }
  const SpanId span_id = st.ids->new_span_id();

  SamplingResult result = st.sampler->should_sample(*parent, trace_id, name, options.kind,
                                                    options.attributes, options.links);
  const bool recording = result.is_recording();
  const bool sampled = result.is_sampled();
  st.counters.count(recording, sampled);

  const TraceState& trace_state = result.trace_state    ? *result.trace_state
                                  : options.trace_state ? *options.trace_state
                                  : has_parent          ? parent->trace_state()
                                                        : kEmptyTraceState;
  SpanContext context(trace_id, span_id, TraceFlags(flag_bits).with_sampled(sampled), false,
                      trace_state);
  if (!recording) return Span(std::move(context), nullptr);

  std::unique_ptr<SpanData> data = SpanDataPool::acquire();
  if (!data) return Span(std::move(context), nullptr);
  RecordingSpan* recorder = RecordingSpan::acquire();
  if (recorder == nullptr) {
    SpanDataPool::release(std::move(data));
    return Span(std::move(context), nullptr);
  }

  SpanData& d = *data;
  const auto steady_start = std::chrono::steady_clock::now();
  d.context = context;
  if (has_parent) {
    d.parent_span_id = parent->span_id();
    d.parent_is_remote = parent->is_remote();
  }
  try {
    d.name.assign(name.data(), name.size());
  } catch (...) {  // out of memory: an unnamed span beats a lost one
  }
  d.kind = options.kind;
  d.start_time =
      options.start_time != Timestamp{} ? options.start_time : wall_time_of(steady_start);
  d.resource = &st.resource;
  d.scope = scope_;
  const SpanLimits& limits = st.limits;
  for (const Attribute& a : options.attributes) {
    d.attributes.set(a.key, a.value, limits.attribute_count, limits.attribute_value_length);
  }
  for (const Link& l : options.links) {
    RecordingSpan::record_link(d, limits, l.context, l.attributes);
  }

  const ProcessorList* processors = st.active.load(std::memory_order_acquire);
  if (processors != nullptr && !processors->empty()) {
    if (ambient != nullptr) {
      for (SpanProcessor* p : *processors) p->on_start(d, *ambient);
    } else {
      const Context parent_context{*parent, {}, nullptr};
      for (SpanProcessor* p : *processors) p->on_start(d, parent_context);
    }
  }
  recorder->begin(&st, processors, std::move(data), steady_start);
  return Span(std::move(context), recorder);
}

}  // namespace hoptrace::sdk::detail
