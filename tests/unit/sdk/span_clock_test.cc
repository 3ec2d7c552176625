#include "sdk/span_clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "hoptrace/core/sdk/tracer_provider.h"
#include "unit/sdk/collecting_processor.h"

namespace hoptrace::sdk::detail {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

Timestamp system_now() {
  return std::chrono::time_point_cast<nanoseconds>(std::chrono::system_clock::now());
}

nanoseconds distance(Timestamp a, Timestamp b) { return a > b ? a - b : b - a; }

// Whatever the clock runs on: instants never go back, wall times track system_clock, and
// elapsed() measures a sleep.
void expect_clock_behaves() {
  SpanInstant previous = SpanClock::now();
  for (int i = 0; i < 100000; ++i) {
    const SpanInstant next = SpanClock::now();
    ASSERT_GE(next.ticks, previous.ticks);
    previous = next;
  }
  for (int i = 0; i < 3; ++i) {
    const Timestamp wall = SpanClock::wall_time_of(SpanClock::now());
    EXPECT_LT(distance(wall, system_now()), milliseconds(20));
    const SpanInstant start = SpanClock::now();
    std::this_thread::sleep_for(milliseconds(30));
    const nanoseconds slept = SpanClock::elapsed(start, SpanClock::now_like(start));
    EXPECT_GE(slept, milliseconds(29));
    EXPECT_LT(slept, milliseconds(500));
  }
  const SpanInstant later = SpanClock::now();
  EXPECT_EQ(SpanClock::elapsed(later, previous), nanoseconds(0));  // never negative
}

TEST(SpanClockTest, SteadyClockFallbackIsMonotonicAndTracksTheSystemClock) {
  ASSERT_TRUE(SpanClock::force_tsc_for_testing(false));
  EXPECT_FALSE(SpanClock::using_tsc());
  EXPECT_FALSE(SpanClock::now().tsc);
  expect_clock_behaves();
}

TEST(SpanClockTest, TscClockIsMonotonicAndTracksTheSystemClock) {
  if (!SpanClock::force_tsc_for_testing(true)) GTEST_SKIP() << "no invariant TSC on this CPU";
  EXPECT_TRUE(SpanClock::using_tsc());
  EXPECT_TRUE(SpanClock::now().tsc);
  expect_clock_behaves();
  SpanClock::force_tsc_for_testing(false);
}

TEST(SpanClockTest, SpanStartedOnOneClockEndsOnTheSameOne) {
  if (!SpanClock::force_tsc_for_testing(true)) GTEST_SKIP() << "no invariant TSC on this CPU";
  const SpanInstant tsc_start = SpanClock::now();
  SpanClock::force_tsc_for_testing(false);
  EXPECT_TRUE(SpanClock::now_like(tsc_start).tsc);
  const SpanInstant steady_start = SpanClock::now();
  SpanClock::force_tsc_for_testing(true);
  EXPECT_FALSE(SpanClock::now_like(steady_start).tsc);
  SpanClock::force_tsc_for_testing(false);
}

// Spans' timestamps on each clock: start close to the system clock, end - start the duration.
TEST(SpanClockTest, SpanTimestampsAreCloseToTheSystemClockOnEitherClock) {
  for (const bool tsc : {false, true}) {
    if (!SpanClock::force_tsc_for_testing(tsc)) continue;  // no invariant TSC: steady only
    auto collected = std::make_shared<testing::CollectingProcessor::Shared>();
    TracerProvider provider;
    provider.add_processor(std::make_unique<testing::CollectingProcessor>(collected));
    auto tracer = provider.get_tracer("clock");
    const Timestamp before = system_now();
    Span span = tracer->start_span("op");
    std::this_thread::sleep_for(milliseconds(20));
    span.end();
    const Timestamp after = system_now();
    ASSERT_EQ(collected->ended.size(), 1u);
    const SpanData& d = *collected->ended[0];
    EXPECT_LT(distance(d.start_time, before), milliseconds(20)) << "tsc=" << tsc;
    EXPECT_GE(d.end_time - d.start_time, milliseconds(19)) << "tsc=" << tsc;
    EXPECT_LT(distance(d.end_time, after), milliseconds(20)) << "tsc=" << tsc;
  }
  SpanClock::force_tsc_for_testing(false);
}

}  // namespace
}  // namespace hoptrace::sdk::detail
