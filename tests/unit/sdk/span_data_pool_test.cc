#include "hoptrace/core/sdk/span_data_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
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
