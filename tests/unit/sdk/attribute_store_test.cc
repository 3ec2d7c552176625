#include <gtest/gtest.h>

#include <string>

#include "hoptrace/core/sdk/span_data.h"

namespace hoptrace::sdk {
namespace {

constexpr std::size_t kNoLimit = 1u << 20;

TEST(AttributeStoreTest, StoresTypedValuesAndReadsThemBack) {
  AttributeStore store;
  EXPECT_TRUE(store.set("messaging.system", "kafka", 128, kNoLimit));
  EXPECT_TRUE(store.set("messaging.kafka.offset", 42, 128, kNoLimit));
  EXPECT_TRUE(store.set("messaging.kafka.message.tombstone", true, 128, kNoLimit));
  EXPECT_TRUE(store.set("ratio", 0.5, 128, kNoLimit));
  ASSERT_EQ(store.size(), 4u);
  EXPECT_EQ(store.at(0).key, "messaging.system");
  EXPECT_EQ(store.at(0).value.as_string(), "kafka");
  EXPECT_EQ(store.at(1).value.as_int(), 42);
  EXPECT_TRUE(store.at(2).value.as_bool());
  EXPECT_DOUBLE_EQ(store.at(3).value.as_double(), 0.5);
}

TEST(AttributeStoreTest, SettingAnExistingKeyReplacesItsValueInPlace) {
  AttributeStore store;
  store.set("k", "old", 128, kNoLimit);
  store.set("other", 1, 128, kNoLimit);
  store.set("k", 7, 128, kNoLimit);
  ASSERT_EQ(store.size(), 2u);
  EXPECT_EQ(store.at(0).key, "k");
  EXPECT_EQ(store.at(0).value.type(), AttributeValue::Type::kInt);
  EXPECT_EQ(store.at(0).value.as_int(), 7);
}

TEST(AttributeStoreTest, CountLimitDropsNewKeysAndCountsThem) {
  AttributeStore store;
  EXPECT_TRUE(store.set("a", 1, 2, kNoLimit));
  EXPECT_TRUE(store.set("b", 2, 2, kNoLimit));
  EXPECT_FALSE(store.set("c", 3, 2, kNoLimit));
  EXPECT_TRUE(store.set("a", 4, 2, kNoLimit)) << "replacing is allowed at the limit";
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.dropped(), 1u);
}

TEST(AttributeStoreTest, LongStringsAreTruncatedWithoutSplittingUtf8) {
  AttributeStore store;
  store.set("k", "ab\xc3\xa9z", 128, 3);  // "abéz": é is two bytes at offsets 2-3
  EXPECT_EQ(store.at(0).value.as_string(), "ab");
}

TEST(AttributeStoreTest, AppendKeepsRangesAndCountsOverflow) {
  AttributeStore store;
  std::uint32_t dropped = 0;
  const auto first = store.append({{"a", 1}, {"b", "x"}}, 128, kNoLimit, &dropped);
  const auto second = store.append({{"c", 2}, {"d", 3}, {"e", 4}}, 2, kNoLimit, &dropped);
  EXPECT_EQ(first, 0u);
  EXPECT_EQ(second, 2u);
  EXPECT_EQ(store.size(), 4u);
  EXPECT_EQ(dropped, 1u);
  EXPECT_EQ(store.at(3).key, "d");
}

TEST(AttributeStoreTest, ClearKeepsNothingVisible) {
  AttributeStore store;
  store.set("k", "v", 128, kNoLimit);
  store.clear();
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(store.dropped(), 0u);
}

}  // namespace
}  // namespace hoptrace::sdk
