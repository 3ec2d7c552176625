#include "hoptrace/core/sdk/span_data_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace hoptrace::sdk {
namespace {

TEST(SpanDataPoolTest, ReleasedObjectIsResetAndReusedOnTheSameThread) {
  auto span = SpanDataPool::acquire();
  ASSERT_TRUE(span);
  span->name = "a fairly long span name that does not fit in SSO";
  span->attributes.set("k", "v", 128, 1000);
  span->events.push_back(EventData{"e", {}, 0, 0, 0});
  span->dropped_links = 3;
  SpanData* raw = span.get();
  SpanDataPool::release(std::move(span));
  auto again = SpanDataPool::acquire();
  ASSERT_EQ(again.get(), raw);
  EXPECT_TRUE(again->name.empty());
  EXPECT_GE(again->name.capacity(), 40u);  // capacity kept
  EXPECT_EQ(again->attributes.size(), 0u);
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(again->dropped_links, 0u);
}

TEST(SpanDataPoolTest, ObjectsReleasedOnAnotherThreadComeBack) {
  // Start from an empty shared list: earlier tests in this process (processors recycle their
  // spans) may have filled it up to its cap, and a full list frees what is released.
  std::thread([] {
    std::vector<std::unique_ptr<SpanData>> held;
    while (SpanDataPool::shared_idle_count() > 0) held.push_back(SpanDataPool::acquire());
  }).join();
  std::vector<SpanData*> released;
  std::thread([&] {
    // An exporter thread releasing more than its cache holds spills to the shared list.
    std::vector<std::unique_ptr<SpanData>> spans;
    for (int i = 0; i < 200; ++i) spans.push_back(std::make_unique<SpanData>());
    for (auto& s : spans) {
      released.push_back(s.get());
      SpanDataPool::release(std::move(s));
    }
  }).join();
  EXPECT_GE(SpanDataPool::shared_idle_count(), 200u - 64u);
  std::thread([&] {
    auto s = SpanDataPool::acquire();
    EXPECT_NE(std::find(released.begin(), released.end(), s.get()), released.end());
  }).join();
}

TEST(SpanDataPoolTest, ConcurrentAcquireAndReleaseAcrossThreads) {
  // Producers acquire and hand spans to a consumer thread that releases them, as an app thread
  // and an exporter thread do.
  std::mutex mutex;
  std::vector<std::unique_ptr<SpanData>> handoff;
  std::atomic<int> producers_left{3};
  std::atomic<int> released{0};
  std::thread consumer([&] {
    for (;;) {
      std::vector<std::unique_ptr<SpanData>> batch;
      {
        std::lock_guard<std::mutex> lock(mutex);
        batch.swap(handoff);
      }
      for (auto& s : batch) {
        SpanDataPool::release(std::move(s));
        released.fetch_add(1);
      }
      if (batch.empty() && producers_left.load() == 0) {
        std::lock_guard<std::mutex> lock(mutex);
        if (handoff.empty()) break;
      }
      std::this_thread::yield();
    }
  });
  std::vector<std::thread> producers;
  for (int p = 0; p < 3; ++p) {
    producers.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto s = SpanDataPool::acquire();
        ASSERT_TRUE(s);
        EXPECT_TRUE(s->name.empty());  // always handed out reset
        s->name = "span";
        std::lock_guard<std::mutex> lock(mutex);
        handoff.push_back(std::move(s));
      }
      producers_left.fetch_sub(1);
    });
  }
  for (auto& t : producers) t.join();
  consumer.join();
  EXPECT_EQ(released.load(), 6000);
}

TEST(SpanDataPoolTest, AReservationRaisesTheIdleBoundWhileItLives) {
  const std::size_t base = SpanDataPool::idle_bound();
  {
    SpanDataPool::Reservation reservation(10'000);
    EXPECT_EQ(SpanDataPool::idle_bound(), base + 10'000);
    SpanDataPool::Reservation moved = std::move(reservation);
    EXPECT_EQ(reservation.count(), 0u);  // NOLINT(bugprone-use-after-move): tested on purpose
    EXPECT_EQ(SpanDataPool::idle_bound(), base + 10'000);
  }
  EXPECT_EQ(SpanDataPool::idle_bound(), base);
}

// A batch processor releases a whole export batch at once: with a reservation the pool keeps
// all of it for the spans that follow; when the reservation ends, the surplus is freed.
TEST(SpanDataPoolTest, ReservedObjectsAreKeptAndFreedWhenTheReservationEnds) {
  const std::size_t base = SpanDataPool::idle_bound();
  const std::size_t total = base + 3000;
  std::thread([&] {
    auto reservation = std::make_unique<SpanDataPool::Reservation>(3000);
    std::vector<std::unique_ptr<SpanData>> held;
    held.reserve(total);
    for (std::size_t i = 0; i < total; ++i) held.push_back(std::make_unique<SpanData>());
    for (auto& span : held) SpanDataPool::release(std::move(span));
    // Everything beyond this thread's cache reached the shared list, none was freed.
    EXPECT_GE(SpanDataPool::shared_idle_count(), total - 64);
    reservation.reset();
    EXPECT_LE(SpanDataPool::shared_idle_count(), base);
  }).join();
}

TEST(SpanDataPoolTest, HugeSpansAreNotRetained) {
  std::thread([] {
    auto span = std::make_unique<SpanData>();
    span->events.resize(5000);
    SpanDataPool::release(std::move(span));
    auto next = SpanDataPool::acquire();
    ASSERT_TRUE(next);
    EXPECT_LE(next->events.capacity(), 1024u);  // the 5000-slot object was freed, not pooled
  }).join();
}

}  // namespace
}  // namespace hoptrace::sdk
