// FreshHeadersWriter::set_and_remove skips the removals while its list is empty; it must leave
// the list as remove() of each key then set() would, in every order of writes.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fresh_headers_writer.h"
#include "header_pairs.h"
#include "hoptrace/kafka/handles.h"

namespace hoptrace::kafka {
namespace {

using testing::Pairs;
using testing::pairs_of;

TEST(FreshSetAndRemove, LeavesWhatRemoveThenSetLeave) {
  const std::vector<std::string_view> keys = {"traceparent", "tracestate", "baggage", "b3"};
  std::mt19937 random(7);
  for (int round = 0; round < 500; ++round) {
    HeadersPtr fast_list(rd_kafka_headers_new(2));
    HeadersPtr slow_list(rd_kafka_headers_new(2));
    detail::FreshHeadersWriter fast(fast_list.get());
    detail::FreshHeadersWriter slow(slow_list.get());
    std::string what;
    const int writes = 1 + static_cast<int>(random() % 5);
    for (int w = 0; w < writes; ++w) {
      const std::string_view key = keys[random() % keys.size()];
      const std::string value = "v" + std::to_string(w);
      std::vector<std::string_view> stale;
      for (const std::string_view k : keys) {
        if (random() % 3 == 0) stale.push_back(k);
      }
      const ArrayView<std::string_view> remove_keys(stale.data(), stale.size());
      if (random() % 2 == 0) {
        ASSERT_TRUE(fast.set_and_remove(key, value, remove_keys));
        for (const std::string_view k : stale) slow.remove(k);
        ASSERT_TRUE(slow.set(key, value));
        what += " set_and_remove(" + std::string(key) + ")";
      } else {
        ASSERT_TRUE(fast.set(key, value));
        ASSERT_TRUE(slow.set(key, value));
        what += " set(" + std::string(key) + ")";
      }
      ASSERT_EQ(pairs_of(fast_list.get()), pairs_of(slow_list.get())) << what;
    }
  }
}

TEST(FreshSetAndRemove, RemovesAStaleCompanionAndKeepsAKeyListedTwice) {
  HeadersPtr list(rd_kafka_headers_new(2));
  detail::FreshHeadersWriter writer(list.get());
  ASSERT_TRUE(writer.set("tracestate", "a=1"));
  const std::string_view stale[] = {"tracestate", "traceparent"};
  ASSERT_TRUE(writer.set_and_remove("traceparent", "00-x", ArrayView<std::string_view>(stale, 2)));
  EXPECT_EQ(pairs_of(list.get()), (Pairs{{"traceparent", "00-x"}}));
}

}  // namespace
}  // namespace hoptrace::kafka
