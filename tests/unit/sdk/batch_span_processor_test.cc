#include "hoptrace/core/sdk/batch_span_processor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "hoptrace/core/error.h"
#include "hoptrace/core/sdk/span_data_pool.h"
#include "unit/sdk/test_exporter.h"
#include "support/scoped_env.h"
#include "unit/sdk/test_spans.h"

namespace hoptrace::sdk {
namespace {

using std::chrono::milliseconds;
using testing::ExporterState;
using testing::make_span;
using hoptrace::testing::ScopedEnv;
using testing::TestExporter;

// Generous bound: a test fails rather than hangs when something is never exported.
Deadline soon() { return std::chrono::steady_clock::now() + std::chrono::seconds(20); }

BatchSpanProcessorOptions options(std::size_t queue, std::size_t batch,
                                  milliseconds delay = std::chrono::hours(1)) {
  BatchSpanProcessorOptions o;
  o.max_queue_size = queue;
  o.max_export_batch_size = batch;
  o.schedule_delay = delay;
  o.export_timeout = milliseconds(5000);
  return o;
}

class BspEnvTest : public ::testing::Test {
 protected:
  ScopedEnv delay_{"OTEL_BSP_SCHEDULE_DELAY", std::nullopt};
  ScopedEnv timeout_{"OTEL_BSP_EXPORT_TIMEOUT", std::nullopt};
  ScopedEnv queue_{"OTEL_BSP_MAX_QUEUE_SIZE", std::nullopt};
  ScopedEnv batch_{"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", std::nullopt};
};

TEST_F(BspEnvTest, DefaultsFollowOpenTelemetry) {
  const auto s = BatchSpanProcessorSettings::resolve({});
  EXPECT_EQ(s.schedule_delay, milliseconds(5000));
  EXPECT_EQ(s.export_timeout, milliseconds(30000));
  EXPECT_EQ(s.max_queue_size, 2048u);
  EXPECT_EQ(s.max_export_batch_size, 512u);
}

TEST_F(BspEnvTest, EnvironmentValuesAreUsedAndCodeWins) {
  ScopedEnv d("OTEL_BSP_SCHEDULE_DELAY", "250");
  ScopedEnv t("OTEL_BSP_EXPORT_TIMEOUT", " 1000 ");
  ScopedEnv q("OTEL_BSP_MAX_QUEUE_SIZE", "4096");
  ScopedEnv b("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "1024");
  auto s = BatchSpanProcessorSettings::resolve({});
  EXPECT_EQ(s.schedule_delay, milliseconds(250));
  EXPECT_EQ(s.export_timeout, milliseconds(1000));
  EXPECT_EQ(s.max_queue_size, 4096u);
  EXPECT_EQ(s.max_export_batch_size, 1024u);

  BatchSpanProcessorOptions o;
  o.schedule_delay = milliseconds(7);
  o.max_queue_size = 100;
  s = BatchSpanProcessorSettings::resolve(o);
  EXPECT_EQ(s.schedule_delay, milliseconds(7));
  EXPECT_EQ(s.max_queue_size, 100u);
  EXPECT_EQ(s.max_export_batch_size, 100u);  // 1024 from the environment, clamped
  EXPECT_EQ(s.export_timeout, milliseconds(1000));
}

TEST_F(BspEnvTest, BadEnvironmentValuesAreWarnedAboutAndIgnored) {
  ScopedEnv d("OTEL_BSP_SCHEDULE_DELAY", "soon");
  ScopedEnv t("OTEL_BSP_EXPORT_TIMEOUT", "-5");
  ScopedEnv q("OTEL_BSP_MAX_QUEUE_SIZE", "0");
  ScopedEnv b("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "12x");
  ::testing::internal::CaptureStderr();
  const auto s = BatchSpanProcessorSettings::resolve({});
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(s.schedule_delay, milliseconds(5000));
  EXPECT_EQ(s.export_timeout, milliseconds(30000));
  EXPECT_EQ(s.max_queue_size, 2048u);
  EXPECT_EQ(s.max_export_batch_size, 512u);
  for (const char* name : {"OTEL_BSP_SCHEDULE_DELAY='soon'", "OTEL_BSP_EXPORT_TIMEOUT='-5'",
                           "OTEL_BSP_MAX_QUEUE_SIZE='0'", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE='12x'"}) {
    EXPECT_NE(err.find(name), std::string::npos) << err;
  }
}

TEST_F(BspEnvTest, BatchLargerThanQueueIsClampedWithAWarning) {
  ScopedEnv q("OTEL_BSP_MAX_QUEUE_SIZE", "64");
  ::testing::internal::CaptureStderr();
  const auto s = BatchSpanProcessorSettings::resolve({});
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(s.max_export_batch_size, 64u);
  EXPECT_NE(err.find("OTEL_BSP_MAX_EXPORT_BATCH_SIZE"), std::string::npos) << err;
}

TEST_F(BspEnvTest, ZeroGivenInCodeIsAConfigError) {
  BatchSpanProcessorOptions o;
  o.max_queue_size = 0;
  EXPECT_THROW(BatchSpanProcessorSettings::resolve(o), ConfigError);
  o = {};
  o.schedule_delay = milliseconds(0);
  EXPECT_THROW(BatchSpanProcessorSettings::resolve(o), ConfigError);
  EXPECT_THROW(BatchSpanProcessor(nullptr, {}), ConfigError);
}

// What the processor can hold (queue plus one batch in export) comes back to the SpanDataPool
// after export; the pool must be allowed to keep all of it, or the application threads would
// allocate new spans while the worker frees the exported ones.
TEST(BatchSpanProcessorTest, ReservesItsCapacityInTheSpanPool) {
  const std::size_t before = SpanDataPool::idle_bound();
  {
    BatchSpanProcessor p(std::make_unique<TestExporter>(std::make_shared<ExporterState>()),
                         options(5000, 700));
    EXPECT_EQ(SpanDataPool::idle_bound(), before + 5700);
  }
  EXPECT_EQ(SpanDataPool::idle_bound(), before);
}

TEST(BatchSpanProcessorTest, ReachingTheBatchSizeWakesTheWorker) {
  auto state = std::make_shared<ExporterState>();
  BatchSpanProcessor p(std::make_unique<TestExporter>(state), options(16, 4));
  for (int i = 0; i < 4; ++i) p.on_end(make_span("s" + std::to_string(i)));
  // The schedule delay is an hour: only the batch-size wake-up can export these.
  ASSERT_TRUE(state->wait_spans_seen(4));
  for (int i = 4; i < 7; ++i) p.on_end(make_span("s" + std::to_string(i)));
  ASSERT_TRUE(p.force_flush(soon()));
  std::lock_guard<std::mutex> lock(state->mutex);
  ASSERT_EQ(state->batches.size(), 2u);
  EXPECT_EQ(state->batches[0], (std::vector<std::string>{"s0", "s1", "s2", "s3"}));
  EXPECT_EQ(state->batches[1], (std::vector<std::string>{"s4", "s5", "s6"}));
  EXPECT_NE(state->last_thread, std::this_thread::get_id());
}

TEST(BatchSpanProcessorTest, ScheduleDelayExportsAPartialBatch) {
  auto state = std::make_shared<ExporterState>();
  BatchSpanProcessor p(std::make_unique<TestExporter>(state), options(64, 32, milliseconds(5)));
  for (int i = 0; i < 3; ++i) p.on_end(make_span("s"));
  // Below the batch size and no flush: only the timer can export these.
  ASSERT_TRUE(state->wait_spans_seen(3));
  ASSERT_TRUE(p.shutdown(soon()));
  EXPECT_EQ(p.stats().exported, 3u);
  EXPECT_EQ(state->force_flushes, 0);
}

TEST(BatchSpanProcessorTest, ForceFlushExportsEverythingQueuedBeforeIt) {
  auto state = std::make_shared<ExporterState>();
  BatchSpanProcessor p(std::make_unique<TestExporter>(state), options(1000, 64));
  for (int i = 0; i < 300; ++i) p.on_end(make_span("s"));
  ASSERT_TRUE(p.force_flush(soon()));
  EXPECT_EQ(state->spans_seen(), 300u);
  EXPECT_EQ(p.stats().exported, 300u);
  EXPECT_GE(state->force_flushes, 1);
  for (const auto& b : state->batches) EXPECT_LE(b.size(), 64u);
}

TEST(BatchSpanProcessorTest, ForceFlushReturnsFalseWhenTheDeadlinePasses) {
  auto state = std::make_shared<ExporterState>();
  state->close_gate();
  BatchSpanProcessor p(std::make_unique<TestExporter>(state), options(16, 8));
  p.on_end(make_span("stuck"));
  EXPECT_FALSE(p.force_flush(std::chrono::steady_clock::now() + milliseconds(20)));
  state->open_gate();
  EXPECT_TRUE(p.force_flush(soon()));
  EXPECT_EQ(p.stats().exported, 1u);
}

TEST(BatchSpanProcessorTest, FullQueueDropsNewSpansAndCountsThemExactly) {
  auto state = std::make_shared<ExporterState>();
  state->close_gate();
  BatchSpanProcessor p(std::make_unique<TestExporter>(state), options(8, 8));
  for (int i = 0; i < 8; ++i) p.on_end(make_span("first"));
  ASSERT_TRUE(state->wait_exports_entered(1));
  // The worker holds its batch at the gate; normally all 8, fewer only if it looked at the
  // queue while the 8th push was still being written.
  std::size_t held = 0;
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    held = state->last_entered_batch_size;
  }
  ASSERT_GE(held, 1u);
  const std::size_t free_slots = held;  // 8 - held spans are still queued
  for (int i = 0; i < 13; ++i) p.on_end(make_span("more"));
  EXPECT_EQ(p.stats().dropped_queue_full, 13u - free_slots);
  state->open_gate();
  ASSERT_TRUE(p.force_flush(soon()));
  const ProcessorStats s = p.stats();
  EXPECT_EQ(s.exported, 8u + free_slots);
  EXPECT_EQ(s.dropped_queue_full, 13u - free_slots);
  EXPECT_EQ(s.dropped(), s.dropped_queue_full);
  EXPECT_EQ(state->spans_seen(), s.exported);
}

TEST(BatchSpanProcessorTest, SlowExporterNeverBlocksOnEnd) {
  auto state = std::make_shared<ExporterState>();
  state->close_gate();
  BatchSpanProcessor p(std::make_unique<TestExporter>(state), options(64, 8));
  for (int i = 0; i < 8; ++i) p.on_end(make_span("held"));
  ASSERT_TRUE(state->wait_exports_entered(1));
  std::size_t held = 0;
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    held = state->last_entered_batch_size;
  }
  const std::size_t free_slots = 64 - (8 - held);
  // Were on_end to wait for the exporter, this loop would never finish: the gate is shut.
  for (int i = 0; i < 1000; ++i) p.on_end(make_span("more"));
  EXPECT_EQ(p.stats().dropped_queue_full, 1000u - free_slots);
  EXPECT_EQ(state->exports_entered, 1);
  state->open_gate();
  ASSERT_TRUE(p.force_flush(soon()));
  EXPECT_EQ(p.stats().exported, 8u + free_slots);
}

TEST(BatchSpanProcessorTest, ExportResultsAreMappedToStatsBuckets) {
  auto state = std::make_shared<ExporterState>();
  BatchSpanProcessor p(std::make_unique<TestExporter>(state), options(64, 64));
  const auto run = [&](ExportResult result, int spans) {
    {
      std::lock_guard<std::mutex> lock(state->mutex);
      state->next_result = result;
    }
    for (int i = 0; i < spans; ++i) p.on_end(make_span("s"));
    ASSERT_TRUE(p.force_flush(soon()));
  };
  run({ExportResult::Status::kRejected, 0}, 2);
  run({ExportResult::Status::kFailed, 0}, 3);
  run({ExportResult::Status::kTooLarge, 0}, 4);
  run({ExportResult::Status::kSuccess, 2}, 5);
  run({ExportResult::Status::kSuccess, 99}, 1);  // more rejected than sent: capped
  const ProcessorStats s = p.stats();
  EXPECT_EQ(s.exported, 3u);
  EXPECT_EQ(s.dropped_rejected, 2u + 2u + 1u);
  EXPECT_EQ(s.dropped_failed, 3u);
  EXPECT_EQ(s.dropped_too_large, 4u);
}

TEST(BatchSpanProcessorTest, ShutdownExportsEverythingAndCountsLaterSpans) {
  auto state = std::make_shared<ExporterState>();
  BatchSpanProcessor p(std::make_unique<TestExporter>(state), options(1000, 64));
  for (int i = 0; i < 500; ++i) p.on_end(make_span("s"));
  EXPECT_TRUE(p.shutdown(soon()));
  EXPECT_EQ(state->spans_seen(), 500u);
  EXPECT_EQ(state->shutdowns, 1);
  EXPECT_TRUE(p.shutdown(soon()));
  EXPECT_EQ(state->shutdowns, 1);
  p.on_end(make_span("late"));
  p.on_end(make_span("later"));
  const ProcessorStats s = p.stats();
  EXPECT_EQ(s.exported, 500u);
  EXPECT_EQ(s.dropped_shutdown, 2u);
  EXPECT_TRUE(p.force_flush(soon()));
}

TEST(BatchSpanProcessorTest, ShutdownPastItsDeadlineCountsWhatItCouldNotExport) {
  auto state = std::make_shared<ExporterState>();
  state->close_gate();
  BatchSpanProcessor p(std::make_unique<TestExporter>(state), options(64, 8));
  for (int i = 0; i < 8; ++i) p.on_end(make_span("held"));
  ASSERT_TRUE(state->wait_exports_entered(1));
  for (int i = 0; i < 5; ++i) p.on_end(make_span("queued"));
  std::atomic<bool> result{true};
  std::thread stopper(
      [&] { result = p.shutdown(std::chrono::steady_clock::now() - milliseconds(1)); });
  std::this_thread::sleep_for(milliseconds(50));  // let the expired shutdown give up first
  state->open_gate();
  stopper.join();
  EXPECT_FALSE(result.load());
  const ProcessorStats s = p.stats();
  EXPECT_EQ(s.exported + s.dropped_shutdown, 13u);
  EXPECT_EQ(state->shutdowns, 1);
}

TEST(BatchSpanProcessorTest, DestructorExportsWhatIsQueued) {
  auto state = std::make_shared<ExporterState>();
  {
    BatchSpanProcessor p(std::make_unique<TestExporter>(state), options(100, 50));
    for (int i = 0; i < 30; ++i) p.on_end(make_span("s"));
  }
  EXPECT_EQ(state->spans_seen(), 30u);
  EXPECT_EQ(state->shutdowns, 1);
}

TEST(BatchSpanProcessorTest, ManyProducersLoseNothing) {
  auto state = std::make_shared<ExporterState>();
  BatchSpanProcessor p(std::make_unique<TestExporter>(state), options(256, 64, milliseconds(1)));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 4000;
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&p, t] {
      for (int i = 0; i < kPerThread; ++i) {
        p.on_end(make_span("p", static_cast<std::uint64_t>(t * kPerThread + i)));
      }
    });
  }
  // A flush racing the producers must not deadlock or lose spans either.
  EXPECT_TRUE(p.force_flush(soon()));
  for (auto& t : producers) t.join();
  ASSERT_TRUE(p.shutdown(soon()));
  const ProcessorStats s = p.stats();
  EXPECT_EQ(s.exported + s.dropped(), std::uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(s.exported, state->spans_seen());
  EXPECT_EQ(s.dropped(), s.dropped_queue_full);
  std::lock_guard<std::mutex> lock(state->mutex);
  EXPECT_FALSE(state->concurrent_call_seen);
  for (const auto& b : state->batches) EXPECT_LE(b.size(), 64u);
}

TEST(BatchSpanProcessorTest, SpansEndingDuringShutdownAreAllAccountedFor) {
  auto state = std::make_shared<ExporterState>();
  BatchSpanProcessor p(std::make_unique<TestExporter>(state), options(128, 32, milliseconds(1)));
  constexpr int kThreads = 4;
  constexpr int kPerThread = 3000;
  std::vector<std::thread> producers;
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&p] {
      for (int i = 0; i < kPerThread; ++i) p.on_end(make_span("p"));
    });
  }
  p.shutdown(soon());
  for (auto& t : producers) t.join();
  const ProcessorStats s = p.stats();
  EXPECT_EQ(s.exported + s.dropped(), std::uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(s.exported, state->spans_seen());
}

}  // namespace
}  // namespace hoptrace::sdk
