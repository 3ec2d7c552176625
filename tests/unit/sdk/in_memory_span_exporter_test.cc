#include "hoptrace/core/sdk/in_memory_span_exporter.h"

#include <gtest/gtest.h>

#include <thread>

#include "hoptrace/core/sdk/simple_span_processor.h"
#include "unit/sdk/test_spans.h"

namespace hoptrace::sdk {
namespace {

using testing::kNoLimit;
using testing::make_span;

Deadline soon() { return std::chrono::steady_clock::now() + std::chrono::seconds(5); }

TEST(InMemorySpanExporterTest, StoresDeepCopiesThatOutliveTheExportedSpans) {
  InMemorySpanExporter exporter;
  auto span = make_span("orders publish");
  span->attributes.set("messaging.system", "kafka", 128, kNoLimit);
  span->events.push_back({"retry", Timestamp(std::chrono::nanoseconds(5)), 0, 0, 0});
  const SpanData* batch[] = {span.get()};
  EXPECT_EQ(exporter.export_spans(ArrayView<const SpanData*>(batch)).status,
            ExportResult::Status::kSuccess);
  span.reset();  // the processor frees the original after export

  const std::vector<SpanData> spans = exporter.finished_spans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "orders publish");
  ASSERT_EQ(spans[0].attributes.size(), 1u);
  EXPECT_EQ(spans[0].attributes.at(0).value.as_string(), "kafka");
  ASSERT_EQ(spans[0].events.size(), 1u);
  EXPECT_EQ(spans[0].events[0].name, "retry");
}

TEST(InMemorySpanExporterTest, FindClearAndSharedStoreOutlivingTheExporter) {
  std::shared_ptr<InMemorySpanStore> store;
  {
    auto exporter = std::make_unique<InMemorySpanExporter>();
    store = exporter->store();
    SimpleSpanProcessor processor(std::move(exporter));
    processor.on_end(make_span("a", 1));
    processor.on_end(make_span("b", 2));
    processor.on_end(make_span("a", 3));
  }
  ASSERT_TRUE(store->find("b").has_value());
  EXPECT_EQ(store->find("b")->context.span_id(), SpanId::from_u64(3));
  EXPECT_FALSE(store->find("missing").has_value());
  EXPECT_EQ(store->find_all("a").size(), 2u);
  EXPECT_EQ(store->size(), 3u);
  store->clear();
  EXPECT_EQ(store->size(), 0u);
  EXPECT_TRUE(store->finished_spans().empty());
}

TEST(InMemorySpanExporterTest, CapacityBoundCountsDropsAndReportsThemAsRejected) {
  auto exporter = std::make_unique<InMemorySpanExporter>(2);
  auto store = exporter->store();
  SimpleSpanProcessor processor(std::move(exporter));
  for (int i = 0; i < 5; ++i) processor.on_end(make_span("s", static_cast<std::uint64_t>(i)));
  EXPECT_EQ(store->size(), 2u);
  EXPECT_EQ(store->dropped(), 3u);
  EXPECT_EQ(processor.stats().exported, 2u);
  EXPECT_EQ(processor.stats().dropped_rejected, 3u);
}

TEST(InMemorySpanExporterTest, ExportAfterShutdownFailsAndStoresNothing) {
  InMemorySpanExporter exporter;
  EXPECT_TRUE(exporter.shutdown(soon()));
  auto span = make_span("late");
  const SpanData* batch[] = {span.get()};
  EXPECT_EQ(exporter.export_spans(ArrayView<const SpanData*>(batch)).status,
            ExportResult::Status::kFailed);
  EXPECT_TRUE(exporter.finished_spans().empty());
}

TEST(InMemorySpanExporterTest, ReadsAreSafeDuringConcurrentExports) {
  InMemorySpanExporter exporter;
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) {
      auto span = make_span("w", static_cast<std::uint64_t>(i));
      const SpanData* batch[] = {span.get()};
      exporter.export_spans(ArrayView<const SpanData*>(batch));
    }
  });
  std::size_t last = 0;
  for (int i = 0; i < 200; ++i) {
    const std::size_t now = exporter.finished_spans().size();
    EXPECT_GE(now, last);
    last = now;
  }
  writer.join();
  EXPECT_EQ(exporter.finished_spans().size(), 200u);
}

}  // namespace
}  // namespace hoptrace::sdk
