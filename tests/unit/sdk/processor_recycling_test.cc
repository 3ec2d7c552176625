// Processors hand finished records back to the SpanDataPool (so a sampled span allocates nothing
// in steady state) and never export spans that were recorded but not sampled.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "hoptrace/core/sdk/batch_span_processor.h"
#include "hoptrace/core/sdk/in_memory_span_exporter.h"
#include "hoptrace/core/sdk/sampler.h"
#include "hoptrace/core/sdk/simple_span_processor.h"
#include "hoptrace/core/sdk/span_data_pool.h"
#include "hoptrace/core/sdk/tracer_provider.h"

namespace hoptrace::sdk {
namespace {

// RECORD_ONLY for spans named "record-only", RECORD_AND_SAMPLE for the rest.
class RecordOnlyByName final : public Sampler {
 public:
  SamplingResult should_sample(const SpanContext&, const TraceId&, std::string_view name,
                               SpanKind, ArrayView<Attribute>, ArrayView<Link>) noexcept override {
    SamplingResult r;
    r.decision = name == "record-only" ? SamplingDecision::kRecordOnly
                                       : SamplingDecision::kRecordAndSample;
    return r;
  }
  std::string description() const override { return "RecordOnlyByName"; }
};

TracerProviderOptions record_only_options() {
  TracerProviderOptions options;
  options.sampler = std::make_shared<RecordOnlyByName>();
  options.link_aware_sampling = false;
  return options;
}

Deadline soon() { return std::chrono::steady_clock::now() + std::chrono::seconds(10); }

TEST(ProcessorRecyclingTest, SimpleProcessorExportsOnlySampledSpans) {
  auto exporter = std::make_unique<InMemorySpanExporter>();
  auto store = exporter->store();
  TracerProvider provider(record_only_options());
  provider.add_processor(std::make_unique<SimpleSpanProcessor>(std::move(exporter)));
  auto tracer = provider.get_tracer("test");
  tracer->start_span("record-only").end();
  tracer->start_span("sampled").end();
  const auto spans = store->finished_spans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "sampled");
}

TEST(ProcessorRecyclingTest, BatchProcessorExportsOnlySampledSpans) {
  auto exporter = std::make_unique<InMemorySpanExporter>();
  auto store = exporter->store();
  TracerProvider provider(record_only_options());
  provider.add_processor(std::make_unique<BatchSpanProcessor>(std::move(exporter)));
  auto tracer = provider.get_tracer("test");
  tracer->start_span("record-only").end();
  tracer->start_span("sampled").end();
  ASSERT_TRUE(provider.force_flush(soon()));
  const auto spans = store->finished_spans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "sampled");
  EXPECT_EQ(provider.stats().processors.dropped(), 0u) << "not sampled is not a drop";
}

TEST(ProcessorRecyclingTest, BatchProcessorReturnsExportedRecordsToThePool) {
  TracerProvider provider(record_only_options());
  BatchSpanProcessorOptions batch;
  batch.max_queue_size = 1024;
  provider.add_processor(
      std::make_unique<BatchSpanProcessor>(std::make_unique<InMemorySpanExporter>(), batch));
  auto tracer = provider.get_tracer("test");
  for (int i = 0; i < 300; ++i) tracer->start_span("sampled").end();
  // Nothing is exported before the flush (batch size 512 > 300, 5 s schedule delay).
  const std::size_t before = SpanDataPool::shared_idle_count();
  ASSERT_TRUE(provider.force_flush(soon()));
  // The worker thread keeps a small cache of its own and hands the rest to the shared list.
  EXPECT_GE(SpanDataPool::shared_idle_count(), std::min<std::size_t>(before + 200, 4096));
}

}  // namespace
}  // namespace hoptrace::sdk
