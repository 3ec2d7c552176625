#include "hoptrace/core/sdk/simple_span_processor.h"

#include <gtest/gtest.h>

#include "hoptrace/core/error.h"
#include "unit/sdk/test_exporter.h"
#include "unit/sdk/test_spans.h"

namespace hoptrace::sdk {
namespace {

using testing::ExporterState;
using testing::make_span;
using testing::TestExporter;

Deadline soon() { return std::chrono::steady_clock::now() + std::chrono::seconds(5); }

TEST(SimpleSpanProcessorTest, ExportsEachSpanBeforeOnEndReturnsOnTheEndingThread) {
  auto state = std::make_shared<ExporterState>();
  SimpleSpanProcessor p(std::make_unique<TestExporter>(state));
  p.on_end(make_span("a"));
  ASSERT_EQ(state->batches.size(), 1u);
  EXPECT_EQ(state->batches[0], std::vector<std::string>{"a"});
  EXPECT_EQ(state->last_thread, std::this_thread::get_id());
  p.on_end(make_span("b"));
  EXPECT_EQ(state->batches.size(), 2u);
  EXPECT_EQ(p.stats().exported, 2u);
}

TEST(SimpleSpanProcessorTest, MapsExportResultsToStats) {
  auto state = std::make_shared<ExporterState>();
  SimpleSpanProcessor p(std::make_unique<TestExporter>(state));
  state->next_result = {ExportResult::Status::kRejected, 0};
  p.on_end(make_span("r"));
  state->next_result = {ExportResult::Status::kFailed, 0};
  p.on_end(make_span("f"));
  p.on_end(make_span("f2"));
  state->next_result = {ExportResult::Status::kTooLarge, 0};
  p.on_end(make_span("t"));
  state->next_result = {ExportResult::Status::kSuccess, 1};
  p.on_end(make_span("partial"));
  const ProcessorStats s = p.stats();
  EXPECT_EQ(s.exported, 0u);
  EXPECT_EQ(s.dropped_rejected, 2u);
  EXPECT_EQ(s.dropped_failed, 2u);
  EXPECT_EQ(s.dropped_too_large, 1u);
}

TEST(SimpleSpanProcessorTest, ShutdownIsIdempotentAndLaterSpansAreCounted) {
  auto state = std::make_shared<ExporterState>();
  SimpleSpanProcessor p(std::make_unique<TestExporter>(state));
  p.on_end(make_span("before"));
  EXPECT_TRUE(p.shutdown(soon()));
  EXPECT_TRUE(p.shutdown(soon()));
  EXPECT_EQ(state->shutdowns, 1);
  p.on_end(make_span("after"));
  EXPECT_EQ(state->batches.size(), 1u);
  EXPECT_EQ(p.stats().dropped_shutdown, 1u);
  EXPECT_EQ(p.stats().exported, 1u);
}

TEST(SimpleSpanProcessorTest, ForceFlushReachesTheExporter) {
  auto state = std::make_shared<ExporterState>();
  SimpleSpanProcessor p(std::make_unique<TestExporter>(state));
  EXPECT_TRUE(p.force_flush(soon()));
  EXPECT_EQ(state->force_flushes, 1);
}

TEST(SimpleSpanProcessorTest, RejectsANullExporter) {
  EXPECT_THROW(SimpleSpanProcessor(nullptr), ConfigError);
}

TEST(SimpleSpanProcessorTest, DestructorShutsTheExporterDown) {
  auto state = std::make_shared<ExporterState>();
  { SimpleSpanProcessor p(std::make_unique<TestExporter>(state)); }
  EXPECT_EQ(state->shutdowns, 1);
}

}  // namespace
}  // namespace hoptrace::sdk
