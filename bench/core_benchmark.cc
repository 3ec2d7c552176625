// Core hot-path benchmarks (issue 2). Each measures one thing an adapter does per message.
// Spans go into the real BatchSpanProcessor with an exporter that discards, so the figures
// include queueing and recycling; the processor's drop count is reported as a counter so a
// figure that hides dropped spans cannot pass unnoticed.
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>

#include "hoptrace/core/memory_carrier.h"
#include "hoptrace/core/propagation/propagation.h"
#include "hoptrace/core/propagation/trace_context.h"
#include "hoptrace/core/sdk/always_off_sampler.h"
#include "hoptrace/core/sdk/always_on_sampler.h"
#include "hoptrace/core/sdk/batch_span_processor.h"
#include "hoptrace/core/sdk/tracer_provider.h"
#include "hoptrace/core/tracer.h"

namespace {

using hoptrace::Attribute;
using hoptrace::Context;
using hoptrace::MemoryCarrier;
using hoptrace::SpanContext;
using hoptrace::SpanKind;
using hoptrace::SpanStartOptions;

constexpr char kTraceparent[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr char kTracestate3[] = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7,hoptrace=h:2";

class DiscardingExporter final : public hoptrace::sdk::SpanExporter {
 public:
  hoptrace::sdk::ExportResult export_spans(
      hoptrace::ArrayView<const hoptrace::sdk::SpanData*> spans) noexcept override {
    benchmark::DoNotOptimize(spans.size());
    return hoptrace::sdk::ExportResult::success();
  }
  std::string_view name() const noexcept override { return "discard"; }
};

// A provider with one batch processor into the discarding exporter.
struct Pipeline {
  explicit Pipeline(bool sampled) {
    hoptrace::sdk::TracerProviderOptions options;
    if (sampled) {
      options.sampler = std::make_shared<hoptrace::sdk::AlwaysOnSampler>();
    } else {
      options.sampler = std::make_shared<hoptrace::sdk::AlwaysOffSampler>();
    }
    provider = std::make_unique<hoptrace::sdk::TracerProvider>(std::move(options));
    hoptrace::sdk::BatchSpanProcessorOptions batch;
    batch.max_queue_size = 8192;
    auto processor = std::make_unique<hoptrace::sdk::BatchSpanProcessor>(
        std::make_unique<DiscardingExporter>(), batch);
    provider->add_processor(std::move(processor));
    tracer = provider->get_tracer("hoptrace.bench", "1");
  }
  // Flushes, then reports how many spans the processor dropped during the run.
  void report(benchmark::State& state) {
    provider->force_flush(std::chrono::steady_clock::now() + std::chrono::seconds(10));
    const auto stats = provider->stats();
    state.counters["dropped"] = static_cast<double>(stats.processors.dropped());
    state.counters["exported"] = static_cast<double>(stats.processors.exported);
  }
  std::unique_ptr<hoptrace::sdk::TracerProvider> provider;
  std::shared_ptr<hoptrace::Tracer> tracer;
};

// The six attributes a Kafka send span typically carries at start.
#define HOPTRACE_BENCH_SIX_ATTRIBUTES                                              \
  {                                                                                \
    {"messaging.system", "kafka"}, {"messaging.operation.type", "send"},           \
        {"messaging.operation.name", "send"},                                      \
        {"messaging.destination.name", "shop.orders"},                             \
        {"messaging.destination.partition.id", "3"}, {"messaging.kafka.offset", 42} \
  }

SpanContext sampled_context() {
  return SpanContext(*hoptrace::TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736"),
                     *hoptrace::SpanId::from_hex("00f067aa0ba902b7"), hoptrace::TraceFlags(1),
                     false);
}

void BM_W3C_Inject(benchmark::State& state) {
  const hoptrace::TraceContextPropagator propagator;
  const Context context{sampled_context(), {}};
  MemoryCarrier carrier;
  for (auto _ : state) {
    propagator.inject(context, carrier);
    benchmark::DoNotOptimize(carrier);
  }
}
BENCHMARK(BM_W3C_Inject);

void BM_W3C_Extract_TraceState3(benchmark::State& state) {
  const hoptrace::TraceContextPropagator propagator;
  MemoryCarrier carrier;
  carrier.add("traceparent", kTraceparent);
  carrier.add("tracestate", kTracestate3);
  for (auto _ : state) {
    Context context;
    propagator.extract(carrier, context);
    benchmark::DoNotOptimize(context);
  }
}
BENCHMARK(BM_W3C_Extract_TraceState3);

void BM_W3C_Extract_Invalid(benchmark::State& state) {
  const hoptrace::TraceContextPropagator propagator;
  MemoryCarrier carrier;
  carrier.add("traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01");
  for (auto _ : state) {
    Context context;
    propagator.extract(carrier, context);
    benchmark::DoNotOptimize(context);
  }
}
BENCHMARK(BM_W3C_Extract_Invalid);

// The default composite (tracecontext, baggage) plus b3, reading a traced message that carries
// traceparent, tracestate and baggage.
void BM_Composite_Extract(benchmark::State& state) {
  hoptrace::PropagationOptions options;
  options.propagators = {"tracecontext", "baggage", "b3"};
  const hoptrace::Propagation propagation(options);
  MemoryCarrier carrier;
  carrier.add("traceparent", kTraceparent);
  carrier.add("tracestate", kTracestate3);
  carrier.add("baggage", "tenant=acme,region=eu-west-1");
  for (auto _ : state) {
    Context context;
    propagation.extract(carrier, context);
    benchmark::DoNotOptimize(context);
  }
}
BENCHMARK(BM_Composite_Extract);

void BM_Span_Unsampled(benchmark::State& state) {
  Pipeline pipeline(/*sampled=*/false);
  SpanStartOptions options;
  options.kind = SpanKind::kProducer;
  for (auto _ : state) {
    hoptrace::Span span = pipeline.tracer->start_span("send shop.orders", options);
    benchmark::DoNotOptimize(span.context());
    span.end();
  }
  pipeline.report(state);
}
BENCHMARK(BM_Span_Unsampled);

// What a traced consumer does per message that is not sampled: a CONSUMER child of the
// message's context (with a 3-member tracestate), made the ambient context while the message is
// processed, then ended.
void BM_Span_Unsampled_Scoped(benchmark::State& state) {
  Pipeline pipeline(/*sampled=*/false);
  SpanStartOptions options;
  options.kind = SpanKind::kConsumer;
  options.parent_source = hoptrace::ParentSource::kExplicit;
  const SpanContext base = sampled_context();
  options.parent = SpanContext(base.trace_id(), base.span_id(), base.trace_flags(), true,
                               hoptrace::TraceState::parse(kTracestate3));
  for (auto _ : state) {
    hoptrace::Span span = pipeline.tracer->start_span("process shop.orders", options);
    {
      const hoptrace::Scope scope = hoptrace::make_current(span);
      benchmark::DoNotOptimize(Context::current());
    }
    span.end();
  }
  pipeline.report(state);
}
BENCHMARK(BM_Span_Unsampled_Scoped);

void BM_Span_Sampled_6Attrs(benchmark::State& state) {
  Pipeline pipeline(/*sampled=*/true);
  for (auto _ : state) {
    const Attribute attributes[] = HOPTRACE_BENCH_SIX_ATTRIBUTES;
    SpanStartOptions options;
    options.kind = SpanKind::kProducer;
    options.attributes = attributes;
    hoptrace::Span span = pipeline.tracer->start_span("send shop.orders", options);
    span.end();
  }
  pipeline.report(state);
}
BENCHMARK(BM_Span_Sampled_6Attrs);

// What a traced producer does per message: a PRODUCER span with six attributes, a clean inject
// with the default propagators into the message's headers, and the end of the span.
void BM_ProducerPath(benchmark::State& state) {
  Pipeline pipeline(/*sampled=*/true);
  const hoptrace::Propagation propagation;
  MemoryCarrier headers;
  for (auto _ : state) {
    const Attribute attributes[] = HOPTRACE_BENCH_SIX_ATTRIBUTES;
    SpanStartOptions options;
    options.kind = SpanKind::kProducer;
    options.attributes = attributes;
    hoptrace::Span span = pipeline.tracer->start_span("send shop.orders", options);
    propagation.inject(Context{span.context(), {}}, headers);
    span.end();
    benchmark::DoNotOptimize(headers);
  }
  pipeline.report(state);
}
BENCHMARK(BM_ProducerPath);

// What a traced consumer does per message: extract traceparent + a 3-member tracestate, a
// CONSUMER child span with six attributes, and its end.
void BM_ConsumerPath(benchmark::State& state) {
  Pipeline pipeline(/*sampled=*/true);
  const hoptrace::Propagation propagation;
  MemoryCarrier headers;
  headers.add("traceparent", kTraceparent);
  headers.add("tracestate", kTracestate3);
  for (auto _ : state) {
    const Context creation = propagation.extract(headers);
    const Attribute attributes[] = HOPTRACE_BENCH_SIX_ATTRIBUTES;
    SpanStartOptions options;
    options.kind = SpanKind::kConsumer;
    options.parent_source = hoptrace::ParentSource::kExplicit;
    options.parent = creation.span_context;
    options.attributes = attributes;
    hoptrace::Span span = pipeline.tracer->start_span("process shop.orders", options);
    span.end();
  }
  pipeline.report(state);
}
BENCHMARK(BM_ConsumerPath);

}  // namespace

BENCHMARK_MAIN();
