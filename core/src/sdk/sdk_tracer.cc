#include "sdk/sdk_tracer.h"

#include <chrono>

#include "hoptrace/core/sdk/span_data_pool.h"
#include "id_random.h"
#include "sdk/recording_span.h"

namespace hoptrace::sdk::detail {
namespace {

// Namespace-scope rather than function-local: no initialisation guard on the per-span path.
const SpanContext kInvalidContext;
const TraceState kEmptyTraceState;

std::atomic<std::size_t> g_next_thread{0};
constexpr std::size_t kUnassigned = ~std::size_t{0};
thread_local std::size_t t_thread_number = kUnassigned;

// This thread's stream for the default id generator, drawn inline (no virtual call). A stream
// of its own, apart from generate_span_id()'s: both are independently seeded.
thread_local hoptrace::detail::IdStream t_ids;

[[gnu::noinline]] std::size_t assign_thread_number() noexcept {
  const std::size_t n = g_next_thread.fetch_add(1, std::memory_order_relaxed);
  t_thread_number = n;
  return n;
}

}  // namespace

// Only count() uses it, and only this file uses count(): defined here, ahead of its one use, so
// that it inlines into every span start (a call cost as much as its body).
[[gnu::always_inline]] inline SpanCounters::Slot SpanCounters::slot_of_this_thread() noexcept {
  std::size_t n = t_thread_number;
  if (n == kUnassigned) n = assign_thread_number();
  return {n % kStripes, n < kStripes};
}

namespace {

// Everything a span start has decided before it knows whether it records.
struct StartDecision {
  const SpanContext* parent;  // the resolved parent, kInvalidContext for a root
  const Context* ambient;     // the ambient context the parent came from, if it did
  bool has_parent;
  TraceId trace_id;
  SpanId span_id;
  std::uint8_t flag_bits;
  SamplingDecision decision;
  const TraceState* sampler_trace_state;  // set by the sampler, or null
};

// The recording half of a span start, kept out of line so the unsampled path stays small. The
// span's context is built once, in the returned Span (every return is `span`, so it is built in
// the caller's object), and copied once, into the SpanData.
[[gnu::noinline]] Span start_recording(ProviderState& st, const InstrumentationScope* scope,
                                       std::string_view name, const SpanStartOptions& options,
                                       const StartDecision& s, TraceFlags flags,
                                       const TraceState& trace_state) noexcept {
  std::unique_ptr<SpanData> data = SpanDataPool::acquire();
  RecordingSpan* recorder = data ? RecordingSpan::acquire() : nullptr;
  if (recorder == nullptr && data) SpanDataPool::release(std::move(data));
  Span span(s.trace_id, s.span_id, flags, false, trace_state, recorder);
  if (recorder == nullptr) return span;  // out of memory: not recorded, still propagated

  SpanData& d = *data;
  const SpanInstant start = SpanClock::now();
  d.context = span.context();
  if (s.has_parent) {
    d.parent_span_id = s.parent->span_id();
    d.parent_is_remote = s.parent->is_remote();
  }
  try {
    // The name is empty in a fresh or recycled SpanData; append is the cheaper call (assign
    // must allow for the source overlapping the string).
    d.name.append(name.data(), name.size());
  } catch (...) {  // out of memory: an unnamed span beats a lost one
  }
  d.kind = options.kind;
  d.start_time =
      options.start_time != Timestamp{} ? options.start_time : SpanClock::wall_time_of(start);
  d.resource = &st.resource;
  d.scope = scope;
  const SpanLimits& limits = st.limits;
  if (options.attributes_distinct) {
    d.attributes.set_all_distinct(options.attributes, limits.attribute_count,
                                  limits.attribute_value_length);
  } else {
    d.attributes.set_all(options.attributes, limits.attribute_count, limits.attribute_value_length);
  }
  for (const Link& l : options.links) {
    RecordingSpan::record_link(d, limits, l.context, l.attributes);
  }

  const ProcessorList* processors = st.active.load(std::memory_order_acquire);
  if (processors != nullptr && !processors->starting.empty()) {
    if (s.ambient != nullptr) {
      for (SpanProcessor* p : processors->starting) p->on_start(d, *s.ambient);
    } else {
      const Context parent_context{*s.parent, {}, nullptr};
      for (SpanProcessor* p : processors->starting) p->on_start(d, parent_context);
    }
  }
  recorder->begin(&st, processors, std::move(data), start);
  return span;
}

// Inlined into both sampling paths so the decision stays in registers (a call here cost ~30
// instructions per unsampled span).
[[gnu::always_inline]] inline Span finish_start(ProviderState& st,
                                                const InstrumentationScope* scope,
                                                std::string_view name,
                                                const SpanStartOptions& options,
                                                const StartDecision& s) noexcept {
  const bool recording = s.decision != SamplingDecision::kDrop;
  const bool sampled = s.decision == SamplingDecision::kRecordAndSample;
  st.counters.count(recording, sampled);
  const TraceState& trace_state = s.sampler_trace_state ? *s.sampler_trace_state
                                  : options.trace_state ? *options.trace_state
                                  : s.has_parent        ? s.parent->trace_state()
                                                        : kEmptyTraceState;
  const TraceFlags flags = TraceFlags(s.flag_bits).with_sampled(sampled);
  if (!recording) return Span(s.trace_id, s.span_id, flags, false, trace_state, nullptr);
  return start_recording(st, scope, name, options, s, flags, trace_state);
}

}  // namespace

bool SdkTracer::may_record(const SpanStartOptions& options) const noexcept {
  const ProviderState& st = *state_;
  // start_span records nothing once disabled or shut down (shutdown never reverts).
  if (st.disabled || st.shut_down.load(std::memory_order_relaxed)) return false;
  // A sampler that is called may look at the name, kind and attributes: it may record.
  if (!st.sampling_plan.is_constant()) return true;
  const SpanContext* parent = &kInvalidContext;
  switch (options.parent_source) {
    case ParentSource::kAmbient:
      parent = &Context::current().span_context;
      break;
    case ParentSource::kExplicit:
      parent = &options.parent;
      break;
    case ParentSource::kRoot:
      break;
  }
  // decide() treats an invalid parent as a root, as start_span does.
  return st.sampling_plan.decide(*parent, options.links) != SamplingDecision::kDrop;
}

Span SdkTracer::start_span(std::string_view name, const SpanStartOptions& options) noexcept {
  ProviderState& st = *state_;
  StartDecision s;
  s.ambient = nullptr;
  s.parent = &kInvalidContext;
  switch (options.parent_source) {
    case ParentSource::kAmbient:
      s.ambient = &Context::current();
      s.parent = &s.ambient->span_context;
      break;
    case ParentSource::kExplicit:
      s.parent = &options.parent;
      break;
    case ParentSource::kRoot:
      break;
  }

  if (st.disabled || st.shut_down.load(std::memory_order_relaxed)) {
    // Not recording, but the trace must not break: the caller propagates the parent as is.
    return Span(*s.parent, nullptr);
  }

  s.has_parent = s.parent->is_valid();
  if (s.has_parent) {
    s.trace_id = s.parent->trace_id();
    s.flag_bits = s.parent->trace_flags().bits();
  } else {
    s.parent = &kInvalidContext;
  }
  if (st.default_ids) {
    if (s.has_parent) {
      t_ids.span_ids(nullptr, &s.span_id);
    } else {
      t_ids.span_ids(&s.trace_id, &s.span_id);
      s.flag_bits = TraceFlags::kRandomTraceId;
    }
  } else {
    if (!s.has_parent) {
      s.trace_id = st.ids->new_trace_id();
      s.flag_bits = st.ids->trace_ids_are_random() ? TraceFlags::kRandomTraceId : 0;
    }
    s.span_id = st.ids->new_span_id();
  }

  if (st.sampling_plan.is_constant()) {
    s.decision = st.sampling_plan.decide(*s.parent, options.links);
    s.sampler_trace_state = nullptr;
    return finish_start(st, scope_, name, options, s);
  }
  const SamplingResult result = st.sampler->should_sample(*s.parent, s.trace_id, name, options.kind,
                                                          options.attributes, options.links);
  s.decision = result.decision;
  s.sampler_trace_state = result.trace_state ? &*result.trace_state : nullptr;
  return finish_start(st, scope_, name, options, s);
}

}  // namespace hoptrace::sdk::detail
