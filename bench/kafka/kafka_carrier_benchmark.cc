// Per-message costs of the Kafka carriers and propagation, without a broker: what the traced
// clients add on top of librdkafka for each message.

#include <benchmark/benchmark.h>

#include <string>

#include "hoptrace/core/propagation/propagation.h"
#include "hoptrace/kafka/handles.h"
#include "hoptrace/kafka/headers_carrier.h"
#include "hoptrace/kafka/propagation.h"

namespace {

using hoptrace::Context;
using hoptrace::Propagation;
using hoptrace::SpanContext;
using hoptrace::SpanId;
using hoptrace::TraceFlags;
using hoptrace::TraceId;
using hoptrace::kafka::HeadersPtr;
using hoptrace::kafka::HeadersReader;
using hoptrace::kafka::HeadersWriter;

Context sample_context() {
  Context context;
  context.span_context =
      SpanContext(TraceId::from_u64(0x0af7651916cd43dd, 0x8448eb211c80319c),
                  SpanId::from_u64(0xb7ad6b7169203331), TraceFlags(TraceFlags::kSampled), false);
  return context;
}

// Application headers after the trace headers (the argument: how many).
void add_user_headers(rd_kafka_headers_t* headers, std::int64_t count) {
  for (std::int64_t i = 0; i < count; ++i) {
    const std::string name = "app-header-" + std::to_string(i);
    rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), "value", 5);
  }
}

// The hand-written baseline: one traceparent header added to a fresh list.
void BM_RawHeaderAdd(benchmark::State& state) {
  const std::string value = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  for (auto _ : state) {
    HeadersPtr headers(rd_kafka_headers_new(4));
    rd_kafka_header_add(headers.get(), "traceparent", 11, value.data(),
                        static_cast<ssize_t>(value.size()));
    benchmark::DoNotOptimize(headers.get());
  }
}
BENCHMARK(BM_RawHeaderAdd);

// The general writer over a new list: clean inject, tracecontext + baggage (what TracedProducer
// did per message before new_trace_headers).
void BM_InjectIntoNewHeaders(benchmark::State& state) {
  const Propagation propagation;
  const Context context = sample_context();
  for (auto _ : state) {
    HeadersPtr headers(rd_kafka_headers_new(4));
    HeadersWriter writer(headers.get());
    propagation.inject(context, writer);
    benchmark::DoNotOptimize(headers.get());
  }
}
BENCHMARK(BM_InjectIntoNewHeaders);

// What TracedProducer does per message without user headers: a new list written without
// removal scans.
void BM_NewTraceHeaders(benchmark::State& state) {
  const Propagation propagation;
  const Context context = sample_context();
  for (auto _ : state) {
    HeadersPtr headers = hoptrace::kafka::new_trace_headers(context, propagation);
    benchmark::DoNotOptimize(headers.get());
  }
}
BENCHMARK(BM_NewTraceHeaders);

// Injecting into a user's list that already carries application headers and a stale context.
void BM_InjectIntoUserHeaders(benchmark::State& state) {
  const Propagation propagation;
  const Context context = sample_context();
  for (auto _ : state) {
    HeadersPtr headers(rd_kafka_headers_new(8));
    rd_kafka_header_add(headers.get(), "content-type", -1, "application/json", -1);
    rd_kafka_header_add(headers.get(), "traceparent", -1, "00-stale", -1);
    rd_kafka_header_add(headers.get(), "x-request-id", -1, "42", -1);
    HeadersWriter writer(headers.get());
    propagation.inject(context, writer);
    benchmark::DoNotOptimize(headers.get());
  }
}
BENCHMARK(BM_InjectIntoUserHeaders);

// What TracedConsumer does per message before starting its span: one rd_kafka_header_get_last
// scan per name the propagation asks for (argument: application headers besides the trace
// headers).
void BM_ExtractFromHeaders(benchmark::State& state) {
  const Propagation propagation;
  HeadersPtr headers(rd_kafka_headers_new(4));
  HeadersWriter writer(headers.get());
  propagation.inject(sample_context(), writer);
  add_user_headers(headers.get(), state.range(0));
  for (auto _ : state) {
    Context context = propagation.extract(HeadersReader(headers.get()));
    benchmark::DoNotOptimize(context);
  }
}
BENCHMARK(BM_ExtractFromHeaders)->Arg(1)->Arg(8);

// The hand-written baseline of the consumer side: read the header back.
void BM_RawHeaderGetLast(benchmark::State& state) {
  HeadersPtr headers(rd_kafka_headers_new(4));
  rd_kafka_header_add(headers.get(), "traceparent", -1,
                      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", -1);
  rd_kafka_header_add(headers.get(), "content-type", -1, "application/json", -1);
  for (auto _ : state) {
    const void* value = nullptr;
    std::size_t size = 0;
    rd_kafka_header_get_last(headers.get(), "traceparent", &value, &size);
    benchmark::DoNotOptimize(value);
  }
}
BENCHMARK(BM_RawHeaderGetLast);

}  // namespace

BENCHMARK_MAIN();
