// Counts heap allocations made by the calling thread while a test asks for it, to prove that
// the hot paths allocate nothing. Replacing the global operator new affects the whole test
// binary, so it only counts while `t_counting` is set on the current thread.

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "hoptrace/core/memory_carrier.h"
#include "hoptrace/core/propagation/propagation.h"
#include "hoptrace/core/propagation/trace_context.h"
#include "hoptrace/core/sdk/always_off_sampler.h"
#include "hoptrace/core/sdk/batch_span_processor.h"
#include "hoptrace/core/sdk/simple_span_processor.h"
#include "hoptrace/core/sdk/span_data_pool.h"
#include "hoptrace/core/sdk/tracer_provider.h"
#include "hoptrace/core/tracer.h"

// The replacement operator delete below frees with std::free what the replacement operator new
// got from std::malloc: correct by construction, but once GCC inlines both into a caller it
// reports them as mismatched.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {
thread_local bool t_counting = false;
thread_local std::size_t t_allocations = 0;

void* counted_alloc(std::size_t n) noexcept {
  if (t_counting) ++t_allocations;
  return std::malloc(n == 0 ? 1 : n);
}
}  // namespace

void* operator new(std::size_t n) {
  void* p = counted_alloc(n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void* operator new[](std::size_t n) {
  void* p = counted_alloc(n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace hoptrace::sdk {
namespace {

class AllocationCounter {
 public:
  AllocationCounter() {
    t_allocations = 0;
    t_counting = true;
  }
  ~AllocationCounter() { t_counting = false; }
  std::size_t count() const { return t_allocations; }
};

// Gives every finished span straight back to the pool, as the batch processor does after export.
class RecyclingProcessor final : public SpanProcessor {
 public:
  void on_end(std::unique_ptr<SpanData> span) noexcept override {
    ++ended;
    SpanDataPool::release(std::move(span));
  }
  bool force_flush(Deadline) noexcept override { return true; }
  bool shutdown(Deadline) noexcept override { return true; }
  ProcessorStats stats() const noexcept override { return {}; }
  std::size_t ended = 0;
};

SpanContext sampled_parent() {
  return SpanContext(TraceId::from_u64(1, 2), SpanId::from_u64(3), TraceFlags(0x03), true);
}

// Start options for a child of sampled_parent() (sampled under the default sampler).
SpanStartOptions child_of_sampled_parent(SpanKind kind = SpanKind::kInternal) {
  SpanStartOptions options;
  options.parent_source = ParentSource::kExplicit;
  options.parent = sampled_parent();
  options.kind = kind;
  return options;
}

TEST(AllocationTest, CounterSeesAllocations) {
  AllocationCounter counter;
  auto* p = new int(1);
  delete p;
  EXPECT_EQ(counter.count(), 1u);
}

TEST(AllocationTest, UnsampledSpansAllocateNothing) {
  TracerProviderOptions options;
  options.sampler = std::make_shared<AlwaysOffSampler>();
  TracerProvider provider(std::move(options));
  auto tracer = provider.get_tracer("alloc");
  SpanStartOptions root;
  root.parent_source = ParentSource::kRoot;
  SpanStartOptions explicit_parent = child_of_sampled_parent();
  const Attribute attrs[] = {{"messaging.system", "kafka"}, {"messaging.destination.name", "t"}};
  explicit_parent.attributes = attrs;
  tracer->start_span("warm-up", root).end();  // first use of thread-locals

  AllocationCounter counter;
  for (int i = 0; i < 1000; ++i) {
    Span a = tracer->start_span("root", root);
    Span b = tracer->start_span("child", explicit_parent);
    Scope scope = make_current(b);
    Span c = tracer->start_span("ambient child");
    c.set_attribute("k", "v").add_event("e").end();
    ASSERT_FALSE(a.is_recording() || b.is_recording() || c.is_recording());
  }
  EXPECT_EQ(counter.count(), 0u);
}

// A sampler the SDK cannot precompute: the virtual-call path must not allocate either.
class DroppingSampler final : public Sampler {
 public:
  SamplingResult should_sample(const SpanContext&, const TraceId&, std::string_view, SpanKind,
                               ArrayView<Attribute>, ArrayView<Link>) noexcept override {
    return {SamplingDecision::kDrop, std::nullopt};
  }
  std::string description() const override { return "Dropping"; }
};

TEST(AllocationTest, UnsampledSpansOfACustomSamplerAllocateNothing) {
  TracerProviderOptions options;
  options.sampler = std::make_shared<DroppingSampler>();
  TracerProvider provider(std::move(options));
  auto tracer = provider.get_tracer("alloc");
  const SpanStartOptions child = child_of_sampled_parent();
  tracer->start_span("warm-up").end();
  AllocationCounter counter;
  for (int i = 0; i < 1000; ++i) {
    Span root = tracer->start_span("root");
    Span span = tracer->start_span("child", child);
    ASSERT_FALSE(root.is_recording() || span.is_recording());
  }
  EXPECT_EQ(counter.count(), 0u);
}

TEST(AllocationTest, ThreadsFirstUnsampledSpanAllocatesNothing) {
  // Seeding a thread's id stream and taking its counter stripe happen on the first span.
  TracerProviderOptions options;
  options.sampler = std::make_shared<AlwaysOffSampler>();
  TracerProvider provider(std::move(options));
  auto tracer = provider.get_tracer("alloc");
  std::size_t allocations = 1;
  bool valid = false;
  std::thread([&] {
    AllocationCounter counter;
    Span span = tracer->start_span("first");
    valid = span.context().is_valid();
    span.end();
    allocations = counter.count();
  }).join();
  EXPECT_TRUE(valid);
  EXPECT_EQ(allocations, 0u);
}

TEST(AllocationTest, DisabledSdkAllocatesNothing) {
  TracerProviderOptions options;
  options.disabled = true;
  TracerProvider provider(std::move(options));
  auto tracer = provider.get_tracer("alloc");
  tracer->start_span("warm-up").end();
  AllocationCounter counter;
  for (int i = 0; i < 1000; ++i) tracer->start_span("x").end();
  EXPECT_EQ(counter.count(), 0u);
}

TEST(AllocationTest, SampledSpansAllocateNothingOnceRecycled) {
  TracerProvider provider;
  auto processor = std::make_unique<RecyclingProcessor>();
  RecyclingProcessor* recycling = processor.get();
  provider.add_processor(std::move(processor));
  auto tracer = provider.get_tracer("alloc");
  SpanStartOptions options = child_of_sampled_parent(SpanKind::kProducer);
  const Attribute attrs[] = {{"messaging.system", "kafka"},
                             {"messaging.destination.name", "orders"},
                             {"messaging.operation.type", "send"},
                             {"messaging.operation.name", "send"},
                             {"server.address", "broker-1.example.com"},
                             {"server.port", 9092}};
  options.attributes = attrs;
  const auto one_span = [&] {
    Span span = tracer->start_span("send orders", options);
    span.set_attribute("messaging.kafka.message.key", "k-1");
    span.end();
  };
  for (int i = 0; i < 100; ++i) one_span();  // fills the caches and grows every buffer once

  AllocationCounter counter;
  for (int i = 0; i < 1000; ++i) one_span();
  EXPECT_EQ(counter.count(), 0u);
  EXPECT_EQ(recycling->ended, 1100u);
}

// A producer awaiting delivery reports holds thousands of spans open at once: once they have
// been ended and recycled, the same number open again without touching the allocator (the
// per-thread recorder cache used to keep only 32 and free the rest).
TEST(AllocationTest, ThousandsOfSpansOpenAtOnceAllocateNothingOnceRecycled) {
  TracerProvider provider;
  provider.add_processor(std::make_unique<RecyclingProcessor>());
  auto tracer = provider.get_tracer("alloc");
  SpanStartOptions options = child_of_sampled_parent(SpanKind::kProducer);
  const Attribute attrs[] = {{"messaging.system", "kafka"},
                             {"messaging.destination.name", "orders"}};
  options.attributes = attrs;
  constexpr std::size_t kOpen = 3000;  // within the pool's bound without any reservation
  std::vector<Span> open;
  open.reserve(kOpen);
  const auto open_and_end_all = [&] {
    for (std::size_t i = 0; i < kOpen; ++i) open.push_back(tracer->start_span("send", options));
    for (Span& span : open) span.end();
    open.clear();
  };
  std::thread([&] {
    open_and_end_all();  // grows the caches to this depth once

    AllocationCounter counter;
    open_and_end_all();
    EXPECT_EQ(counter.count(), 0u);
  }).join();
}

// Holds the batch processor's worker inside export_spans until released, so its queue fills.
class BlockingExporter final : public SpanExporter {
 public:
  ExportResult export_spans(ArrayView<const SpanData*>) noexcept override {
    std::unique_lock<std::mutex> lock(mutex_);
    entered_ = true;
    entered_cv_.notify_all();
    released_cv_.wait(lock, [&] { return released_; });
    return ExportResult::success();
  }
  void wait_until_exporting() {
    std::unique_lock<std::mutex> lock(mutex_);
    entered_cv_.wait(lock, [&] { return entered_; });
  }
  std::string_view name() const noexcept override { return "blocking"; }
  void release() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      released_ = true;
    }
    released_cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable entered_cv_;
  std::condition_variable released_cv_;
  bool entered_ = false;
  bool released_ = false;
};

TEST(AllocationTest, SpansDroppedByAFullBatchQueueAreRecycled) {
  auto exporter = std::make_unique<BlockingExporter>();
  BlockingExporter* blocking = exporter.get();
  TracerProvider provider;
  BatchSpanProcessorOptions batch;
  batch.max_queue_size = 16;
  batch.max_export_batch_size = 16;
  batch.schedule_delay = std::chrono::milliseconds(1);
  provider.add_processor(std::make_unique<BatchSpanProcessor>(std::move(exporter), batch));
  auto tracer = provider.get_tracer("alloc");
  SpanStartOptions options = child_of_sampled_parent();
  const auto one_span = [&] { tracer->start_span("dropped", options).end(); };
  // Once the worker is held inside export_spans with the first batch, 16 more fill the queue
  // and every later span is dropped.
  for (int i = 0; i < 16; ++i) one_span();
  blocking->wait_until_exporting();
  for (int i = 0; i < 200; ++i) one_span();

  AllocationCounter counter;
  for (int i = 0; i < 1000; ++i) one_span();
  const std::size_t allocations = counter.count();
  blocking->release();
  EXPECT_EQ(allocations, 0u);
  EXPECT_GE(provider.stats().processors.dropped(), 1000u);
}

// The Kafka adapter's shape: a template's distinct attributes (attributes_distinct) and one
// attribute set after start (the delivery report's offset).
TEST(AllocationTest, RecycledSpansWithDistinctAttributesAndOneSetLaterAllocateNothing) {
  TracerProvider provider;
  auto processor = std::make_unique<RecyclingProcessor>();
  RecyclingProcessor* recycling = processor.get();
  provider.add_processor(std::move(processor));
  auto tracer = provider.get_tracer("alloc");
  SpanStartOptions options = child_of_sampled_parent(SpanKind::kProducer);
  options.attributes_distinct = true;
  const Attribute attrs[] = {{"messaging.system", "kafka"},
                             {"messaging.destination.name", "orders"},
                             {"messaging.operation.type", "send"},
                             {"messaging.operation.name", "send"},
                             {"messaging.client.id", "producer-1"},
                             {"messaging.destination.partition.id", "3"},
                             {"messaging.message.body.size", 512},
                             {"server.address", "broker-1.example.com"},
                             {"server.port", 9092},
                             {"messaging.kafka.message.key", "user-42"},
                             {"network.transport", "tcp"},
                             {"network.peer.port", 9092}};
  options.attributes = attrs;
  const auto one_span = [&] {
    Span span = tracer->start_span("send orders", options);
    span.set_attribute("messaging.kafka.offset", 12345);
    span.end();
  };
  for (int i = 0; i < 100; ++i) one_span();

  AllocationCounter counter;
  for (int i = 0; i < 1000; ++i) one_span();
  EXPECT_EQ(counter.count(), 0u);
  EXPECT_EQ(recycling->ended, 1100u);
}

// An exporter that accepts and forgets.
class DiscardingExporter final : public SpanExporter {
 public:
  ExportResult export_spans(ArrayView<const SpanData*>) noexcept override {
    return ExportResult::success();
  }
  std::string_view name() const noexcept override { return "discard"; }
};

TEST(AllocationTest, SimpleProcessorRecyclesSoSampledSpansAllocateNothing) {
  TracerProvider provider;
  provider.add_processor(
      std::make_unique<SimpleSpanProcessor>(std::make_unique<DiscardingExporter>()));
  auto tracer = provider.get_tracer("alloc");
  SpanStartOptions options = child_of_sampled_parent();
  const Attribute attrs[] = {{"messaging.system", "kafka"},
                             {"messaging.destination.name", "orders"}};
  options.attributes = attrs;
  for (int i = 0; i < 100; ++i) tracer->start_span("send orders", options).end();

  AllocationCounter counter;
  for (int i = 0; i < 1000; ++i) tracer->start_span("send orders", options).end();
  EXPECT_EQ(counter.count(), 0u);
}

TEST(AllocationTest, ScopesAndCurrentAllocateNothing) {
  const Context ctx{sampled_parent(), {}, nullptr};
  { Scope warm(ctx); }
  AllocationCounter counter;
  for (int i = 0; i < 1000; ++i) {
    Scope outer(ctx);
    Scope inner(ctx);
    ASSERT_TRUE(Context::current().span_context.is_valid());
  }
  EXPECT_EQ(counter.count(), 0u);
}

// Propagation: what every traced message does on the way in and out.
constexpr char kTraceparent[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(AllocationTest, ExtractOfTraceparentAndShortTraceStateAllocatesNothing) {
  const TraceContextPropagator propagator;
  const Propagation propagation;  // tracecontext,baggage (no baggage header here)
  MemoryCarrier carrier;
  carrier.add("traceparent", kTraceparent);
  carrier.add("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7,hoptrace=h:2");
  Context warm_up;
  propagator.extract(carrier, warm_up);
  ASSERT_EQ(warm_up.span_context.trace_state().size(), 3u);

  AllocationCounter counter;
  for (int i = 0; i < 1000; ++i) {
    Context context;
    propagator.extract(carrier, context);
    ASSERT_TRUE(context.span_context.is_valid());
    ASSERT_EQ(context.span_context.trace_state().size(), 3u);
    const Context copy = propagation.extract(carrier);
    ASSERT_EQ(copy.span_context, context.span_context);
  }
  EXPECT_EQ(counter.count(), 0u);
}

TEST(AllocationTest, TraceStateBeyondInlineCapacityTakesOneAllocation) {
  // The counterpart of the test above: proves the counter sees the heap path.
  const std::string header = "a=" + std::string(TraceState::kInlineCapacity, 'x');
  AllocationCounter counter;
  const TraceState state = TraceState::parse(header);
  const TraceState copy = state;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.header(), header);
  EXPECT_EQ(counter.count(), 1u);
}

TEST(AllocationTest, InjectIntoReusedCarrierAllocatesNothing) {
  const TraceContextPropagator propagator;
  const Propagation propagation;
  const Context context(SpanContext(TraceId::from_u64(1, 2), SpanId::from_u64(3), TraceFlags(0x01),
                                    false, TraceState::parse("rojo=00f067aa0ba902b7")));
  const Context no_state(sampled_parent());
  MemoryCarrier carrier;
  propagation.inject(context, carrier);  // the carrier's strings grow to size once
  AllocationCounter counter;
  for (int i = 0; i < 1000; ++i) {
    propagation.inject(context, carrier);
    propagator.inject(no_state, carrier);
    propagator.inject(context, carrier);
  }
  EXPECT_EQ(counter.count(), 0u);
  EXPECT_EQ(carrier.get("tracestate"), "rojo=00f067aa0ba902b7");
}

TEST(AllocationTest, BaggageParseTakesOneAllocationAndCopiesNone) {
  const std::string header = "tenant=acme,region=eu-west-1,user=J%C3%B6rg;p=1";
  (void)Baggage::parse(header);  // the per-thread scratch grows once
  AllocationCounter counter;
  const Baggage baggage = Baggage::parse(header);
  EXPECT_EQ(counter.count(), 1u);
  const Baggage copy = baggage;  // NOLINT(performance-unnecessary-copy-initialization)
  std::size_t visited = 0;
  copy.for_each_view([&](std::string_view, std::string_view, std::string_view) {
    ++visited;
    return true;
  });
  EXPECT_EQ(visited, 3u);
  EXPECT_EQ(copy.get("user"), "J\xC3\xB6rg");
  EXPECT_EQ(counter.count(), 1u);
}

}  // namespace
}  // namespace hoptrace::sdk
