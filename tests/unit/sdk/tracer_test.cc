#include "hoptrace/core/tracer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "hoptrace/core/sdk/always_off_sampler.h"
#include "hoptrace/core/sdk/always_on_sampler.h"
#include "hoptrace/core/sdk/batch_span_processor.h"
#include "hoptrace/core/sdk/in_memory_span_exporter.h"
#include "hoptrace/core/sdk/parent_based_sampler.h"
#include "hoptrace/core/sdk/simple_span_processor.h"
#include "hoptrace/core/sdk/tracer_provider.h"
#include "unit/sdk/collecting_processor.h"

#include "support/scoped_env.h"

namespace hoptrace::sdk {
namespace {

using testing::CollectingProcessor;

// Answers a fixed decision and remembers what it was asked.
class ScriptedSampler final : public Sampler {
 public:
  explicit ScriptedSampler(SamplingDecision d) : decision(d) {}
  SamplingResult should_sample(const SpanContext& p, const TraceId& t, std::string_view n,
                               SpanKind k, ArrayView<Attribute> attributes,
                               ArrayView<Link> links) noexcept override {
    parent = p;
    trace_id = t;
    name = std::string(n);
    kind = k;
    attribute_keys.clear();
    for (const Attribute& a : attributes) attribute_keys.emplace_back(a.key);
    link_count = links.size();
    return {decision, trace_state};
  }
  std::string description() const override { return "Scripted"; }

  SamplingDecision decision;
  std::optional<TraceState> trace_state;
  SpanContext parent;
  TraceId trace_id;
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  std::vector<std::string> attribute_keys;
  std::size_t link_count = 0;
};

class FixedIds final : public IdGenerator {
 public:
  TraceId new_trace_id() noexcept override { return TraceId::from_u64(0xAA, ++n); }
  SpanId new_span_id() noexcept override { return SpanId::from_u64(++n); }
  bool trace_ids_are_random() const noexcept override { return false; }
  std::uint64_t n = 0;
};

SpanContext remote_parent(std::uint8_t flags) {
  return SpanContext(TraceId::from_u64(0x11, 0x22), SpanId::from_u64(0x33), TraceFlags(flags),
                     true);
}

class TracerTest : public ::testing::Test {
 protected:
  void make(TracerProviderOptions options = {}) {
    provider = std::make_unique<TracerProvider>(std::move(options));
    provider->add_processor(std::make_unique<CollectingProcessor>(collected));
    tracer = provider->get_tracer("test.lib", "1.2.3");
  }
  void SetUp() override { make(); }
  SpanData& only_span() {
    EXPECT_EQ(collected->ended.size(), 1u);
    return *collected->ended.at(0);
  }
  SpanStartOptions root() {
    SpanStartOptions o;
    o.parent_source = ParentSource::kRoot;
    return o;
  }
  SpanStartOptions child_of(const SpanContext& parent) {
    SpanStartOptions o;
    o.parent_source = ParentSource::kExplicit;
    o.parent = parent;
    return o;
  }

  std::shared_ptr<CollectingProcessor::Shared> collected =
      std::make_shared<CollectingProcessor::Shared>();
  std::unique_ptr<TracerProvider> provider;
  std::shared_ptr<Tracer> tracer;
};

TEST_F(TracerTest, RootSpanStartsANewRandomSampledTrace) {
  Span span = tracer->start_span("root", root());
  ASSERT_TRUE(span.is_recording());
  EXPECT_TRUE(span.context().is_valid());
  EXPECT_TRUE(span.context().is_sampled());
  EXPECT_TRUE(span.context().trace_flags().random_trace_id());
  EXPECT_FALSE(span.context().is_remote());
  span.end();
  EXPECT_FALSE(span.is_recording());
  const SpanData& d = only_span();
  EXPECT_EQ(d.context, span.context());
  EXPECT_FALSE(d.parent_span_id.is_valid());
  EXPECT_FALSE(d.parent_is_remote);
  EXPECT_EQ(d.name, "root");
  EXPECT_EQ(d.kind, SpanKind::kInternal);
  EXPECT_NE(d.start_time, Timestamp{});
  EXPECT_GE(d.end_time, d.start_time);
  EXPECT_EQ(d.resource, &provider->resource());
  ASSERT_NE(d.scope, nullptr);
  EXPECT_EQ(d.scope->name, "test.lib");
  EXPECT_EQ(d.scope->version, "1.2.3");
}

TEST_F(TracerTest, AmbientParentIsTheCurrentSpan) {
  Span parent = tracer->start_span("parent", root());
  {
    Scope scope = make_current(parent);
    Span child = tracer->start_span("child");
    EXPECT_EQ(child.context().trace_id(), parent.context().trace_id());
    EXPECT_NE(child.context().span_id(), parent.context().span_id());
    child.end();
  }
  Span after = tracer->start_span("after");  // ambient is empty again: a new trace
  EXPECT_NE(after.context().trace_id(), parent.context().trace_id());
  after.end();
  parent.end();
  ASSERT_EQ(collected->ended.size(), 3u);
  const SpanData& child = *collected->ended[0];
  EXPECT_EQ(child.parent_span_id, parent.context().span_id());
  EXPECT_FALSE(child.parent_is_remote);
  EXPECT_EQ(collected->start_parents[1], parent.context());  // on_start saw the parent
}

TEST_F(TracerTest, RootIgnoresTheAmbientSpan) {
  Span parent = tracer->start_span("parent", root());
  Scope scope = make_current(parent);
  Span other = tracer->start_span("other", root());
  EXPECT_NE(other.context().trace_id(), parent.context().trace_id());
}

TEST_F(TracerTest, ExplicitRemoteParentKeepsItsFlagsAndIsRecordedAsRemote) {
  Span span = tracer->start_span("consume", child_of(remote_parent(0x03)));
  EXPECT_EQ(span.context().trace_id(), remote_parent(0).trace_id());
  EXPECT_TRUE(span.context().is_sampled());
  EXPECT_TRUE(span.context().trace_flags().random_trace_id());  // inherited bit
  EXPECT_FALSE(span.context().is_remote());
  span.end();
  EXPECT_EQ(only_span().parent_span_id, SpanId::from_u64(0x33));
  EXPECT_TRUE(only_span().parent_is_remote);
}

TEST_F(TracerTest, ExplicitParentWithoutRandomFlagDoesNotGainIt) {
  Span span = tracer->start_span("consume", child_of(remote_parent(0x01)));
  EXPECT_FALSE(span.context().trace_flags().random_trace_id());
}

TEST_F(TracerTest, ExplicitInvalidParentStartsANewTrace) {
  Span span = tracer->start_span("x", child_of(SpanContext()));
  EXPECT_TRUE(span.context().is_valid());
  span.end();
  EXPECT_FALSE(only_span().parent_span_id.is_valid());
}

TEST_F(TracerTest, UnsampledRemoteParentGivesANonRecordingSpanThatPropagates) {
  Span span = tracer->start_span("consume", child_of(remote_parent(0x02)));
  EXPECT_FALSE(span.is_recording());
  EXPECT_EQ(span.context().trace_id(), remote_parent(0).trace_id());
  EXPECT_TRUE(span.context().span_id().is_valid());
  EXPECT_NE(span.context().span_id(), remote_parent(0).span_id());
  EXPECT_FALSE(span.context().is_sampled());
  EXPECT_TRUE(span.context().trace_flags().random_trace_id());
  span.set_attribute("k", 1).end();
  EXPECT_TRUE(collected->ended.empty());
  EXPECT_TRUE(collected->started.empty());
}

TEST_F(TracerTest, SamplerSeesParentTraceIdNameKindAttributesAndLinks) {
  auto sampler = std::make_shared<ScriptedSampler>(SamplingDecision::kRecordAndSample);
  TracerProviderOptions o;
  o.sampler = sampler;
  o.link_aware_sampling = false;
  make(std::move(o));
  SpanStartOptions s = child_of(remote_parent(0x01));
  s.kind = SpanKind::kConsumer;
  const Attribute attrs[] = {{"messaging.system", "kafka"},
                             {"messaging.operation.type", "process"}};
  const Link links[] = {{remote_parent(0x01), {}}, {remote_parent(0x00), {}}};
  s.attributes = attrs;
  s.links = links;
  Span span = tracer->start_span("orders process", s);
  EXPECT_EQ(sampler->parent, remote_parent(0x01));
  EXPECT_EQ(sampler->trace_id, span.context().trace_id());
  EXPECT_EQ(sampler->name, "orders process");
  EXPECT_EQ(sampler->kind, SpanKind::kConsumer);
  EXPECT_EQ(sampler->attribute_keys,
            (std::vector<std::string>{"messaging.system", "messaging.operation.type"}));
  EXPECT_EQ(sampler->link_count, 2u);
  span.end();
  const SpanData& d = only_span();
  EXPECT_EQ(d.kind, SpanKind::kConsumer);
  ASSERT_EQ(d.attributes.size(), 2u);
  EXPECT_EQ(d.attributes.at(0).value.as_string(), "kafka");
  ASSERT_EQ(d.links.size(), 2u);
  EXPECT_EQ(d.links[1].context, remote_parent(0x00));
}

TEST_F(TracerTest, RootSpanPassesAnInvalidParentToTheSampler) {
  auto sampler = std::make_shared<ScriptedSampler>(SamplingDecision::kDrop);
  TracerProviderOptions o;
  o.sampler = sampler;
  make(std::move(o));
  Span span = tracer->start_span("x", root());
  EXPECT_FALSE(sampler->parent.is_valid());
  EXPECT_FALSE(span.is_recording());
  EXPECT_TRUE(span.context().is_valid());
}

TEST_F(TracerTest, TraceStateIsInheritedFromTheParent) {
  const TraceState ts = TraceState::parse("vendor=abc,other=1");
  const SpanContext parent(TraceId::from_u64(1, 2), SpanId::from_u64(3), TraceFlags(0x01), true,
                           ts);
  Span span = tracer->start_span("x", child_of(parent));
  EXPECT_EQ(span.context().trace_state().header(), "vendor=abc,other=1");
  Span dropped = tracer->start_span(
      "y", child_of(SpanContext(parent.trace_id(), parent.span_id(), TraceFlags(), true, ts)));
  EXPECT_FALSE(dropped.is_recording());
  EXPECT_EQ(dropped.context().trace_state(), ts);  // non-recording spans carry it too
  EXPECT_TRUE(tracer->start_span("z", root()).context().trace_state().empty());
}

TEST_F(TracerTest, TraceStateFromOptionsReplacesTheParents) {
  const TraceState parent_ts = TraceState::parse("vendor=abc");
  const TraceState mine = parent_ts.with("hops", "2");
  SpanStartOptions s = child_of(
      SpanContext(TraceId::from_u64(1, 2), SpanId::from_u64(3), TraceFlags(0x01), true, parent_ts));
  s.trace_state = &mine;
  Span span = tracer->start_span("x", s);
  EXPECT_EQ(span.context().trace_state().header(), "hops=2,vendor=abc");
  SpanStartOptions r = root();
  r.trace_state = &mine;
  EXPECT_EQ(tracer->start_span("r", r).context().trace_state(), mine);
}

TEST_F(TracerTest, SamplerTraceStateWins) {
  auto sampler = std::make_shared<ScriptedSampler>(SamplingDecision::kRecordAndSample);
  sampler->trace_state = TraceState::parse("sampler=yes");
  TracerProviderOptions o;
  o.sampler = sampler;
  make(std::move(o));
  const TraceState mine = TraceState::parse("mine=1");
  SpanStartOptions s = root();
  s.trace_state = &mine;
  Span span = tracer->start_span("x", s);
  EXPECT_EQ(span.context().trace_state().header(), "sampler=yes");
  span.end();
  EXPECT_EQ(only_span().context.trace_state().header(), "sampler=yes");
}

TEST_F(TracerTest, RecordOnlyRecordsWithoutTheSampledFlag) {
  TracerProviderOptions o;
  o.sampler = std::make_shared<ScriptedSampler>(SamplingDecision::kRecordOnly);
  make(std::move(o));
  Span span = tracer->start_span("x", child_of(remote_parent(0x01)));
  EXPECT_TRUE(span.is_recording());
  EXPECT_FALSE(span.context().is_sampled());
  span.end();
  EXPECT_FALSE(only_span().context.is_sampled());
  const TracerProviderStats s = provider->stats();
  EXPECT_EQ(s.spans_started, 1u);
  EXPECT_EQ(s.spans_recorded, 1u);
  EXPECT_EQ(s.spans_sampled, 0u);
}

TEST_F(TracerTest, NonRandomIdGeneratorDoesNotSetTheRandomFlag) {
  TracerProviderOptions o;
  o.id_generator = std::make_shared<FixedIds>();
  make(std::move(o));
  Span span = tracer->start_span("x", root());
  EXPECT_EQ(span.context().trace_id(), TraceId::from_u64(0xAA, 1));
  EXPECT_EQ(span.context().span_id(), SpanId::from_u64(2));
  EXPECT_FALSE(span.context().trace_flags().random_trace_id());
  EXPECT_TRUE(span.context().is_sampled());
}

TEST_F(TracerTest, LinkAwareSamplingIsOnByDefault) {
  TracerProviderOptions o;
  o.sampler = std::make_shared<ParentBasedSampler>(std::make_shared<AlwaysOffSampler>());
  make(std::move(o));
  EXPECT_EQ(provider->sampler().description().rfind("LinkAware{ParentBased", 0), 0u);
  SpanStartOptions s = root();
  const Link links[] = {{remote_parent(0x00), {}}, {remote_parent(0x01), {}}};
  s.links = links;
  Span kept = tracer->start_span("batch process", s);
  EXPECT_TRUE(kept.context().is_sampled());
  Span dropped = tracer->start_span("lonely", root());
  EXPECT_FALSE(dropped.is_recording());
}

TEST_F(TracerTest, LinkAwareSamplingCanBeTurnedOff) {
  TracerProviderOptions o;
  o.sampler = std::make_shared<AlwaysOffSampler>();
  o.link_aware_sampling = false;
  make(std::move(o));
  EXPECT_EQ(provider->sampler().description(), "AlwaysOffSampler");
  SpanStartOptions s = root();
  const Link links[] = {{remote_parent(0x01), {}}};
  s.links = links;
  EXPECT_FALSE(tracer->start_span("batch", s).is_recording());
}

TEST_F(TracerTest, AttributesEventsLinksStatusAndName) {
  Span span = tracer->start_span("before", root());
  span.set_attribute("a", 1)
      .set_attribute("b", true)
      .set_attribute("a", 2.5)
      .add_event("retry", {{"attempt", 2}})
      .add_link(remote_parent(0x01), {{"messaging.message.id", "m1"}})
      .update_name("after");
  span.set_status(StatusCode::kError, "boom");
  span.set_status(StatusCode::kUnset);  // never overrides
  span.end();
  const SpanData& d = only_span();
  EXPECT_EQ(d.name, "after");
  ASSERT_EQ(d.attributes.size(), 2u);
  EXPECT_EQ(d.attributes.at(0).key, "a");
  EXPECT_EQ(d.attributes.at(0).value.as_double(), 2.5);
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].name, "retry");
  EXPECT_NE(d.events[0].time, Timestamp{});
  ASSERT_EQ(d.events[0].attribute_count, 1u);
  EXPECT_EQ(d.event_attribute(d.events[0], 0).value.as_int(), 2);
  ASSERT_EQ(d.links.size(), 1u);
  EXPECT_EQ(d.link_attribute(d.links[0], 0).value.as_string(), "m1");
  EXPECT_EQ(d.status, StatusCode::kError);
  EXPECT_EQ(d.status_description, "boom");
}

TEST_F(TracerTest, OkStatusIsFinalAndHasNoDescription) {
  Span span = tracer->start_span("x", root());
  span.set_status(StatusCode::kOk, "ignored");
  span.set_status(StatusCode::kError, "late");
  span.end();
  EXPECT_EQ(only_span().status, StatusCode::kOk);
  EXPECT_EQ(only_span().status_description, "");
}

TEST_F(TracerTest, RecordExceptionAddsAnEventAndSetsError) {
  Span span = tracer->start_span("x", root());
  span.record_exception("std::runtime_error", "disk full");
  span.end();
  const SpanData& d = only_span();
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].name, "exception");
  EXPECT_EQ(d.event_attribute(d.events[0], 0).key, "exception.type");
  EXPECT_EQ(d.event_attribute(d.events[0], 1).value.as_string(), "disk full");
  EXPECT_EQ(d.status, StatusCode::kError);
  EXPECT_EQ(d.status_description, "disk full");
}

TEST_F(TracerTest, TimestampsFollowTheWallClock) {
  const auto before = std::chrono::system_clock::now();
  Span span = tracer->start_span("x", root());
  span.end();
  const auto after = std::chrono::system_clock::now();
  const auto tolerance = std::chrono::milliseconds(100);  // the steady/wall offset is cached
  EXPECT_GE(only_span().start_time, before - tolerance);
  EXPECT_LE(only_span().end_time, after + tolerance);
  EXPECT_GE(only_span().end_time, only_span().start_time);
}

TEST_F(TracerTest, ExplicitTimesAreKept) {
  SpanStartOptions s = root();
  s.start_time = Timestamp(std::chrono::seconds(1000));
  Span span = tracer->start_span("x", s);
  span.end(Timestamp(std::chrono::seconds(1002)));
  EXPECT_EQ(only_span().start_time, Timestamp(std::chrono::seconds(1000)));
  EXPECT_EQ(only_span().end_time, Timestamp(std::chrono::seconds(1002)));
}

TEST_F(TracerTest, EndIsOnceAndCallsAfterEndAreIgnored) {
  Span span = tracer->start_span("x", root());
  span.end();
  span.set_attribute("late", 1).add_event("late");
  span.end();
  EXPECT_EQ(collected->ended.size(), 1u);
  EXPECT_EQ(only_span().attributes.size(), 0u);
  EXPECT_TRUE(only_span().events.empty());
}

TEST_F(TracerTest, DestroyingTheHandleEndsTheSpan) {
  { Span span = tracer->start_span("x", root()); }
  EXPECT_EQ(collected->ended.size(), 1u);
}

TEST_F(TracerTest, SpanMayEndOnAnotherThread) {
  Span span = tracer->start_span("x", root());
  std::thread([s = std::move(span)]() mutable { s.set_attribute("k", "v").end(); }).join();
  ASSERT_EQ(collected->ended.size(), 1u);
  EXPECT_EQ(only_span().attributes.size(), 1u);
}

TEST_F(TracerTest, LimitsDropAndCount) {
  TracerProviderOptions o;
  o.limits.attribute_count = 2;
  o.limits.event_count = 1;
  o.limits.link_count = 1;
  o.limits.attributes_per_event = 1;
  o.limits.attributes_per_link = 1;
  o.limits.attribute_value_length = 3;
  make(std::move(o));
  SpanStartOptions s = root();
  const Attribute attrs[] = {{"a", "abcdef"}, {"b", 2}, {"c", 3}};
  const Attribute link_attrs[] = {{"x", 1}, {"y", 2}};  // must outlive start_span
  const Link links[] = {{remote_parent(1), link_attrs}, {remote_parent(1), {}}};
  s.attributes = attrs;
  s.links = links;
  Span span = tracer->start_span("x", s);
  span.set_attribute("d", 4).set_attribute("a", "zz");  // replacing an existing key is fine
  span.add_event("e1", {{"p", 1}, {"q", 2}, {"r", 3}}).add_event("e2");
  span.add_link(remote_parent(1));
  span.end();
  const SpanData& d = only_span();
  EXPECT_EQ(d.attributes.size(), 2u);
  EXPECT_EQ(d.attributes.dropped(), 2u);  // c and d
  EXPECT_EQ(d.attributes.at(0).value.as_string(), "zz");
  EXPECT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.dropped_events, 1u);
  EXPECT_EQ(d.events[0].attribute_count, 1u);
  EXPECT_EQ(d.events[0].dropped_attributes, 2u);
  EXPECT_EQ(d.links.size(), 1u);
  EXPECT_EQ(d.dropped_links, 2u);
  EXPECT_EQ(d.links[0].dropped_attributes, 1u);
}

TEST_F(TracerTest, ValueLengthLimitTruncates) {
  TracerProviderOptions o;
  o.limits.attribute_value_length = 3;
  make(std::move(o));
  tracer->start_span("x", root()).set_attribute("a", "abcdef");
  EXPECT_EQ(only_span().attributes.at(0).value.as_string(), "abc");
}

TEST_F(TracerTest, DisabledSdkRecordsNothingButPropagatesTheParent) {
  TracerProviderOptions o;
  o.disabled = true;
  make(std::move(o));
  Span child = tracer->start_span("x", child_of(remote_parent(0x01)));
  EXPECT_FALSE(child.is_recording());
  EXPECT_EQ(child.context(), remote_parent(0x01));
  Span ambient_child;
  {
    Scope scope(Context{remote_parent(0x01), {}, nullptr});
    ambient_child = tracer->start_span("y");
  }
  EXPECT_EQ(ambient_child.context(), remote_parent(0x01));
  EXPECT_FALSE(tracer->start_span("z", root()).context().is_valid());
  child.end();
  EXPECT_TRUE(collected->ended.empty());
  EXPECT_EQ(provider->stats().spans_started, 0u);
}

TEST_F(TracerTest, ShutdownIsIdempotentAndStopsRecording) {
  EXPECT_TRUE(provider->shutdown(std::chrono::steady_clock::now()));
  EXPECT_TRUE(provider->shutdown(std::chrono::steady_clock::now()));
  EXPECT_EQ(collected->shutdowns, 1);
  Span span = tracer->start_span("x", child_of(remote_parent(0x01)));
  EXPECT_FALSE(span.is_recording());
  EXPECT_EQ(span.context(), remote_parent(0x01));
  provider.reset();  // the destructor does not shut down twice
  EXPECT_EQ(collected->shutdowns, 1);
}

TEST_F(TracerTest, DestructorShutsDown) {
  provider.reset();
  EXPECT_EQ(collected->shutdowns, 1);
}

TEST_F(TracerTest, ForceFlushCallsEveryProcessorAndReportsFailure) {
  auto second = std::make_shared<CollectingProcessor::Shared>();
  provider->add_processor(std::make_unique<CollectingProcessor>(second));
  EXPECT_TRUE(provider->force_flush(std::chrono::steady_clock::now()));
  second->flush_result = false;
  EXPECT_FALSE(provider->force_flush(std::chrono::steady_clock::now()));
  EXPECT_EQ(collected->flushes, 2);
  EXPECT_EQ(second->flushes, 2);
}

TEST_F(TracerTest, EveryProcessorGetsEverySpanInOrder) {
  auto second = std::make_shared<CollectingProcessor::Shared>();
  provider->add_processor(std::make_unique<CollectingProcessor>(second));
  tracer->start_span("x", root()).set_attribute("k", "v");
  ASSERT_EQ(collected->ended.size(), 1u);
  ASSERT_EQ(second->ended.size(), 1u);
  EXPECT_NE(collected->ended[0].get(), second->ended[0].get());
  EXPECT_EQ(second->ended[0]->context, collected->ended[0]->context);
  EXPECT_EQ(second->ended[0]->attributes.at(0).value.as_string(), "v");
}

TEST_F(TracerTest, StatsSumProcessorsAndCountSpans) {
  collected->stats.exported = 5;
  collected->stats.dropped_queue_full = 1;
  auto second = std::make_shared<CollectingProcessor::Shared>();
  second->stats.exported = 2;
  provider->add_processor(std::make_unique<CollectingProcessor>(second));
  tracer->start_span("a", root());
  tracer->start_span("b", child_of(remote_parent(0x00)));  // dropped by ParentBased
  const TracerProviderStats s = provider->stats();
  EXPECT_EQ(s.processors.exported, 7u);
  EXPECT_EQ(s.processors.dropped_queue_full, 1u);
  EXPECT_EQ(s.spans_started, 2u);
  EXPECT_EQ(s.spans_recorded, 1u);
  EXPECT_EQ(s.spans_sampled, 1u);
  EXPECT_EQ(s.scope_misuse, scope_misuse_count());
}

TEST_F(TracerTest, CountersAreExactUnderConcurrency) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 40; ++t) {  // more threads than counter stripes: some share a stripe
    threads.emplace_back([this] {
      SpanStartOptions o = root();
      for (int i = 0; i < 100; ++i) tracer->start_span("x", o);
    });
  }
  for (auto& t : threads) t.join();
  const TracerProviderStats s = provider->stats();
  EXPECT_EQ(s.spans_started, 4000u);
  EXPECT_EQ(s.spans_sampled, 4000u);
  EXPECT_EQ(collected->ended.size(), 4000u);
}

TEST_F(TracerTest, TracersShareScopesPerNameAndVersion) {
  auto other = provider->get_tracer("test.lib", "1.2.3");
  auto different = provider->get_tracer("other.lib");
  other->start_span("a", root());
  different->start_span("b", root());
  tracer->start_span("c", root());
  ASSERT_EQ(collected->ended.size(), 3u);
  EXPECT_EQ(collected->ended[0]->scope, collected->ended[2]->scope);
  EXPECT_NE(collected->ended[0]->scope, collected->ended[1]->scope);
  EXPECT_EQ(collected->ended[1]->scope->name, "other.lib");
  EXPECT_EQ(collected->ended[1]->scope->version, "");
}

// Declares itself constant (record only) and counts calls: the provider must answer from its
// precomputed plan and never call it.
class ConstantRecordOnlySampler final : public Sampler {
 public:
  SamplingResult should_sample(const SpanContext&, const TraceId&, std::string_view, SpanKind,
                               ArrayView<Attribute>, ArrayView<Link>) noexcept override {
    ++calls;
    return {SamplingDecision::kRecordOnly, std::nullopt};
  }
  std::string description() const override { return "ConstantRecordOnly"; }
  std::optional<SamplingDecision> constant_decision() const noexcept override {
    return SamplingDecision::kRecordOnly;
  }
  std::atomic<int> calls{0};
};

TEST_F(TracerTest, ConstantSamplerIsAnsweredFromThePlanWithTheSameDecision) {
  auto sampler = std::make_shared<ConstantRecordOnlySampler>();
  TracerProviderOptions options;
  options.sampler = sampler;
  make(std::move(options));
  Span span = tracer->start_span("op", root());
  EXPECT_TRUE(span.is_recording());
  EXPECT_FALSE(span.context().is_sampled());
  span.end();
  // LinkAware (on by default) still upgrades a span with a sampled link.
  SpanStartOptions linked = root();
  const Link links[] = {{remote_parent(TraceFlags::kSampled), {}}};
  linked.links = links;
  Span upgraded = tracer->start_span("batch", linked);
  EXPECT_TRUE(upgraded.context().is_sampled());
  upgraded.end();
  EXPECT_EQ(sampler->calls.load(), 0);
}

TEST_F(TracerTest, DefaultIdsAreNonZeroDistinctAcrossThreadsAndMarkedRandom) {
  constexpr std::size_t kThreads = 4;
  constexpr int kSpans = 2000;
  std::vector<std::vector<SpanContext>> seen(kThreads);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kSpans; ++i) {
        Span span = tracer->start_span("op", root());
        seen[t].push_back(span.context());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::pair<std::uint64_t, std::uint64_t>> trace_ids;
  std::set<std::uint64_t> span_ids;
  for (const auto& contexts : seen) {
    for (const SpanContext& c : contexts) {
      ASSERT_TRUE(c.trace_id().is_valid());
      ASSERT_TRUE(c.span_id().is_valid());
      EXPECT_TRUE(c.trace_flags().random_trace_id());
      trace_ids.insert({c.trace_id().high(), c.trace_id().low()});
      span_ids.insert(c.span_id().to_u64());
    }
  }
  EXPECT_EQ(trace_ids.size(), kThreads * static_cast<std::size_t>(kSpans));
  EXPECT_EQ(span_ids.size(), kThreads * static_cast<std::size_t>(kSpans));
}

TEST_F(TracerTest, ChildKeepsItsParentsTraceIdAndGetsItsOwnSpanId) {
  const SpanContext parent = remote_parent(TraceFlags::kSampled);
  std::set<std::uint64_t> span_ids;
  for (int i = 0; i < 100; ++i) {
    Span span = tracer->start_span("op", child_of(parent));
    EXPECT_EQ(span.context().trace_id(), parent.trace_id());
    EXPECT_NE(span.context().span_id(), parent.span_id());
    span_ids.insert(span.context().span_id().to_u64());
  }
  EXPECT_EQ(span_ids.size(), 100u);
}

// Counts on_start calls; wants them.
class StartCountingProcessor final : public SpanProcessor {
 public:
  void on_start(SpanData&, const Context& parent) noexcept override {
    ++starts;
    last_parent = parent.span_context;
  }
  void on_end(std::unique_ptr<SpanData>) noexcept override {}
  bool force_flush(Deadline) noexcept override { return true; }
  bool shutdown(Deadline) noexcept override { return true; }
  ProcessorStats stats() const noexcept override { return {}; }
  int starts = 0;
  SpanContext last_parent;
};

TEST_F(TracerTest, OnStartReachesProcessorsThatNeedItBesideThoseThatDoNot) {
  auto batch = std::make_unique<BatchSpanProcessor>(std::make_unique<InMemorySpanExporter>());
  EXPECT_FALSE(batch->needs_on_start());
  EXPECT_FALSE(SimpleSpanProcessor(std::make_unique<InMemorySpanExporter>()).needs_on_start());
  auto counting = std::make_unique<StartCountingProcessor>();
  StartCountingProcessor* starts = counting.get();
  EXPECT_TRUE(starts->needs_on_start());
  provider->add_processor(std::move(batch));
  provider->add_processor(std::move(counting));
  const SpanContext parent = remote_parent(TraceFlags::kSampled);
  tracer->start_span("op", child_of(parent)).end();
  EXPECT_EQ(starts->starts, 1);
  EXPECT_EQ(starts->last_parent, parent);
  EXPECT_EQ(collected->start_parents.size(), 1u);  // the collecting processor too
}

TEST(TracerProviderEnvTest, DisabledOnlyByTrue) {
  hoptrace::testing::ScopedEnv env;
  for (const char* v : {"true", "TRUE", "True"}) {
    env.set("OTEL_SDK_DISABLED", v);
    EXPECT_TRUE(TracerProviderOptions::from_environment().disabled) << v;
  }
  for (const char* v : {"false", "1", "yes", ""}) {
    env.set("OTEL_SDK_DISABLED", v);
    EXPECT_FALSE(TracerProviderOptions::from_environment().disabled) << v;
  }
  env.unset("OTEL_SDK_DISABLED");
  EXPECT_FALSE(TracerProviderOptions::from_environment().disabled);
}

TEST(TracerProviderEnvTest, ReadsResourceSamplerAndLimits) {
  hoptrace::testing::ScopedEnv env;
  env.set("OTEL_SERVICE_NAME", "billing");
  env.set("OTEL_TRACES_SAMPLER", "always_off");
  env.set("OTEL_SPAN_LINK_COUNT_LIMIT", "7");
  const TracerProviderOptions o = TracerProviderOptions::from_environment();
  env.unset("OTEL_TRACES_SAMPLER");
  env.unset("OTEL_SPAN_LINK_COUNT_LIMIT");
  env.unset("OTEL_SERVICE_NAME");
  EXPECT_EQ(o.resource.service_name(), "billing");
  ASSERT_TRUE(o.sampler);
  EXPECT_EQ(o.sampler->description(), "AlwaysOffSampler");
  EXPECT_EQ(o.limits.link_count, 7u);
}

TEST(GlobalTracerProviderTest, DefaultIsANoopThatPropagates) {
  set_global_tracer_provider(nullptr);
  auto tracer = global_tracer_provider()->get_tracer("x");
  ASSERT_TRUE(tracer);
  SpanStartOptions o;
  o.parent_source = ParentSource::kExplicit;
  o.parent = remote_parent(0x01);
  Span span = tracer->start_span("y", o);
  EXPECT_FALSE(span.is_recording());
  EXPECT_EQ(span.context(), remote_parent(0x01));
  {
    Scope scope(Context{remote_parent(0x01), {}, nullptr});
    EXPECT_EQ(tracer->start_span("z").context(), remote_parent(0x01));
  }
  o.parent_source = ParentSource::kRoot;
  EXPECT_FALSE(tracer->start_span("r", o).context().is_valid());
}

TEST(GlobalTracerProviderTest, SetAndReset) {
  auto shared = std::make_shared<CollectingProcessor::Shared>();
  auto provider = std::make_shared<TracerProvider>();
  provider->add_processor(std::make_unique<CollectingProcessor>(shared));
  set_global_tracer_provider(provider);
  EXPECT_EQ(global_tracer_provider(), provider);
  SpanStartOptions o;
  o.parent_source = ParentSource::kRoot;
  global_tracer_provider()->get_tracer("g")->start_span("s", o);
  EXPECT_EQ(shared->ended.size(), 1u);
  set_global_tracer_provider(nullptr);
  EXPECT_NE(global_tracer_provider(), provider);
}

}  // namespace
}  // namespace hoptrace::sdk
