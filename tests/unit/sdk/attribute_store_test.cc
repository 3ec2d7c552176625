#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

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

// What set() promises, written plainly: later keys replace earlier ones in place, new keys past
// the count limit are dropped and counted, empty keys are dropped, long strings are truncated.
struct ModelStore {
  std::vector<std::pair<std::string, std::string>> entries;  // value rendered as text
  std::uint32_t dropped = 0;
  void set(const Attribute& a, std::size_t max_count, std::size_t max_length) {
    if (a.key.empty()) {
      ++dropped;
      return;
    }
    std::string value = render(a.value, max_length);
    for (auto& e : entries) {
      if (e.first == a.key) {
        e.second = std::move(value);
        return;
      }
    }
    if (entries.size() >= max_count) {
      ++dropped;
      return;
    }
    entries.emplace_back(std::string(a.key), std::move(value));
  }
  static std::string render(AttributeValue v, std::size_t max_length) {
    switch (v.type()) {
      case AttributeValue::Type::kBool:
        return v.as_bool() ? "b:1" : "b:0";
      case AttributeValue::Type::kInt:
        return "i:" + std::to_string(v.as_int());
      case AttributeValue::Type::kDouble:
        return "d:" + std::to_string(v.as_double());
      case AttributeValue::Type::kString:
        break;
    }
    return "s:" + std::string(v.as_string().substr(0, max_length));  // ASCII only below
  }
};

TEST(AttributeStoreTest, SetAllMatchesOneSetPerAttributeOverRandomBatches) {
  std::mt19937 rng(12345);
  const std::vector<std::string> keys = {"",
                                         "k",
                                         "key",
                                         "messaging.system",
                                         "abcdefgh",
                                         "abcdefghi",
                                         "messaging.destination.partition.id",
                                         std::string(40, 'x'),
                                         std::string(17, 'y')};
  for (int round = 0; round < 500; ++round) {
    const std::size_t max_count = 1 + rng() % 8;
    const std::size_t max_length = rng() % 3 == 0 ? rng() % 20 : kNoLimit;
    std::vector<std::string> strings;  // owns the string values of this round
    strings.reserve(64);
    AttributeStore store;
    ModelStore model;
    // Several batches per store, so set_all also meets keys stored by an earlier call.
    for (int batch = 0; batch < 3; ++batch) {
      std::vector<Attribute> attributes;
      const std::size_t n = rng() % 9;
      for (std::size_t i = 0; i < n; ++i) {
        const std::string& key = keys[rng() % keys.size()];
        switch (rng() % 4) {
          case 0:
            attributes.push_back({key, (rng() & 1) != 0});
            break;
          case 1:
            attributes.push_back({key, static_cast<std::int64_t>(rng()) - 1000});
            break;
          case 2:
            attributes.push_back({key, static_cast<double>(rng() % 100) / 4});
            break;
          default:
            strings.push_back(std::string(rng() % 40, static_cast<char>('a' + rng() % 26)));
            attributes.push_back({key, std::string_view(strings.back())});
        }
      }
      store.set_all(attributes, max_count, max_length);
      for (const Attribute& a : attributes) model.set(a, max_count, max_length);
    }
    ASSERT_EQ(store.size(), model.entries.size()) << "round " << round;
    EXPECT_EQ(store.dropped(), model.dropped) << "round " << round;
    for (std::size_t i = 0; i < store.size(); ++i) {
      EXPECT_EQ(store.at(i).key, model.entries[i].first) << "round " << round;
      EXPECT_EQ(ModelStore::render(store.at(i).value, kNoLimit), model.entries[i].second)
          << "round " << round << " key " << model.entries[i].first;
    }
  }
}

TEST(AttributeStoreTest, SetAllCopiesStringsOfEveryLengthExactly) {
  // Lengths around the word-copy boundaries (0-3, 4-7, 8-16, 17-32, longer).
  std::string source;
  for (int i = 0; i < 80; ++i) source.push_back(static_cast<char>('!' + i));
  AttributeStore store;
  std::vector<std::string> keys;
  keys.reserve(71);  // the attributes view these strings
  std::vector<Attribute> attributes;
  for (std::size_t length = 0; length <= 70; ++length) {
    keys.push_back("k" + std::to_string(length));
    attributes.push_back({keys.back(), std::string_view(source).substr(3, length)});
  }
  store.set_all(attributes, 1000, kNoLimit);
  ASSERT_EQ(store.size(), attributes.size());
  for (std::size_t i = 0; i < store.size(); ++i) {
    EXPECT_EQ(store.at(i).key, keys[i]);
    EXPECT_EQ(store.at(i).value.as_string(), std::string_view(source).substr(3, i));
  }
}

TEST(AttributeStoreTest, SetAfterAppendReplacesTheAppendedKey) {
  AttributeStore store;
  const Attribute appended[] = {{"messaging.system", "kafka"}, {"k", 1}};
  store.append(appended, 128, kNoLimit, nullptr);
  store.set("messaging.system", "rabbitmq", 128, kNoLimit);
  store.set_all(ArrayView<Attribute>({{"k", 2}}), 128, kNoLimit);
  ASSERT_EQ(store.size(), 2u);
  EXPECT_EQ(store.at(0).value.as_string(), "rabbitmq");
  EXPECT_EQ(store.at(1).value.as_int(), 2);
  store.clear();  // forgets the keys too
  store.set("k", 3, 128, kNoLimit);
  ASSERT_EQ(store.size(), 1u);
  EXPECT_EQ(store.at(0).value.as_int(), 3);
}

}  // namespace
}  // namespace hoptrace::sdk
