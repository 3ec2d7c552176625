// OTLP exporter costs: encoding per span (protobuf, JSON, gzip) for a typical messaging span
// (9 attributes, one event, one link), and spans/s exported to an HTTP receiver on loopback,
// both by the exporter alone and through the whole SDK pipeline (TracerProvider ->
// BatchSpanProcessor -> OtlpHttpExporter).
//
// Run: ./build-release/bench/otlp/hoptrace_bench_otlp

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "gzip_compressor.h"
#include "hoptrace/core/sdk/batch_span_processor.h"
#include "hoptrace/core/sdk/otlp_json.h"
#include "hoptrace/core/sdk/tracer_provider.h"
#include "hoptrace/otlp/otlp_http_exporter.h"
#include "hoptrace/otlp/otlp_protobuf.h"
#include "http_receiver.h"
#include "span_fixtures.h"

namespace {

using hoptrace::otlp::testing::HttpReceiver;
using hoptrace::otlp::testing::SpanFixture;

SpanFixture& fixture(std::size_t n) {
  static SpanFixture f;
  while (f.spans.size() < n) f.add_messaging_span(static_cast<std::uint8_t>(f.spans.size()));
  return f;
}

std::vector<const hoptrace::sdk::SpanData*> batch(std::size_t n) {
  auto all = fixture(n).pointers();
  all.resize(n);
  return all;
}

void BM_EncodeProtobuf(benchmark::State& state) {
  const auto spans = batch(static_cast<std::size_t>(state.range(0)));
  hoptrace::otlp::ProtobufEncoder encoder;
  std::string out;
  for (auto _ : state) {
    out.clear();
    encoder.encode(spans, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(spans.size()));
  state.counters["bytes_per_span"] =
      static_cast<double>(out.size()) / static_cast<double>(spans.size());
}
BENCHMARK(BM_EncodeProtobuf)->Arg(1)->Arg(512);

void BM_EncodeJson(benchmark::State& state) {
  const auto spans = batch(static_cast<std::size_t>(state.range(0)));
  std::string out;
  for (auto _ : state) {
    out.clear();
    hoptrace::sdk::encode_otlp_json(spans, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(spans.size()));
  state.counters["bytes_per_span"] =
      static_cast<double>(out.size()) / static_cast<double>(spans.size());
}
BENCHMARK(BM_EncodeJson)->Arg(1)->Arg(512);

void BM_GzipProtobufBatch(benchmark::State& state) {
  const auto spans = batch(512);
  std::string body;
  hoptrace::otlp::encode_otlp_protobuf(spans, body);
  hoptrace::otlp::GzipCompressor gzip;
  std::string out;
  for (auto _ : state) {
    gzip.compress(body, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(spans.size()));
  state.counters["ratio"] = static_cast<double>(body.size()) / static_cast<double>(out.size());
}
BENCHMARK(BM_GzipProtobufBatch);

// One export_spans call of 512 spans per iteration, answered 200 by the loopback receiver.
void BM_ExportToLoopback(benchmark::State& state) {
  HttpReceiver receiver;
  receiver.set_record_bodies(false);
  hoptrace::otlp::OtlpHttpExporterOptions o;
  o.endpoint = receiver.url();
  o.protocol = state.range(0) == 1 ? hoptrace::otlp::OtlpProtocol::kHttpJson
                                   : hoptrace::otlp::OtlpProtocol::kHttpProtobuf;
  o.compression = state.range(1) == 1 ? hoptrace::otlp::OtlpCompression::kGzip
                                      : hoptrace::otlp::OtlpCompression::kNone;
  hoptrace::otlp::OtlpHttpExporter exporter(o);
  const auto spans = batch(512);
  for (auto _ : state) {
    const auto result = exporter.export_spans(spans);
    if (result.status != hoptrace::sdk::ExportResult::Status::kSuccess) {
      state.SkipWithError("export failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(spans.size()));
  state.SetLabel(std::string(state.range(0) == 1 ? "http/json" : "http/protobuf") +
                 (state.range(1) == 1 ? "+gzip" : ""));
}
BENCHMARK(BM_ExportToLoopback)->Args({0, 0})->Args({0, 1})->Args({1, 0})->UseRealTime();

// The whole SDK: spans started and ended on this thread, exported by the processor's worker.
// Items = spans delivered to the receiver per second of wall time, flush included.
void BM_PipelineToLoopback(benchmark::State& state) {
  HttpReceiver receiver;
  receiver.set_record_bodies(false);
  hoptrace::otlp::OtlpHttpExporterOptions o;
  o.endpoint = receiver.url();
  auto exporter = std::make_unique<hoptrace::otlp::OtlpHttpExporter>(o);
  auto* exporter_raw = exporter.get();
  hoptrace::sdk::BatchSpanProcessorOptions bsp;
  bsp.max_queue_size = 8192;
  bsp.max_export_batch_size = 512;
  hoptrace::sdk::TracerProvider provider;
  provider.add_processor(
      std::make_unique<hoptrace::sdk::BatchSpanProcessor>(std::move(exporter), bsp));
  auto tracer = provider.get_tracer("bench");
  constexpr int kSpans = 4096;
  for (auto _ : state) {
    for (int i = 0; i < kSpans; ++i) {
      hoptrace::SpanStartOptions so;
      so.kind = hoptrace::SpanKind::kProducer;
      hoptrace::Span span = tracer->start_span("send orders", so);
      span.set_attribute("messaging.system", "kafka");
      span.set_attribute("messaging.destination.name", "orders");
      span.set_attribute("messaging.operation.type", "send");
      span.set_attribute("messaging.kafka.message.key", "order-1");
      span.set_attribute("messaging.destination.partition.id", "3");
      span.set_attribute("messaging.message.body.size", 512);
    }
    provider.force_flush(std::chrono::steady_clock::now() + std::chrono::seconds(30));
  }
  const auto stats = exporter_raw->stats();
  state.SetItemsProcessed(static_cast<std::int64_t>(stats.spans_exported));
  state.counters["dropped"] = static_cast<double>(provider.stats().processors.dropped());
}
BENCHMARK(BM_PipelineToLoopback)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
