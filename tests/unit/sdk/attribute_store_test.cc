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
                                         "abcd",
                                         "tenant",
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

// Random attributes with distinct keys (some empty, some long strings), under random limits.
std::vector<std::pair<std::string, std::string>> random_distinct_keys_and_values(
    std::mt19937& random) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::size_t n = random() % 40;
  for (std::size_t i = 0; i < n; ++i) {
    std::string key = random() % 10 == 0 ? std::string() : "key." + std::to_string(i);
    std::string value(random() % 70, static_cast<char>('a' + i % 26));
    if (random() % 3 == 0) value += "\xC3\xA9";  // a two-byte character to cut around
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

std::vector<Attribute> as_attributes(const std::vector<std::pair<std::string, std::string>>& kv,
                                     std::mt19937& random) {
  std::vector<Attribute> out;
  for (std::size_t i = 0; i < kv.size(); ++i) {
    switch (random() % 4) {
      case 0:
        out.push_back({kv[i].first, std::string_view(kv[i].second)});
        break;
      case 1:
        out.push_back({kv[i].first, static_cast<std::int64_t>(i)});
        break;
      case 2:
        out.push_back({kv[i].first, i % 2 == 0});
        break;
      default:
        out.push_back({kv[i].first, 0.25 * static_cast<double>(i)});
        break;
    }
  }
  return out;
}

bool same_value(const AttributeValue& a, const AttributeValue& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case AttributeValue::Type::kBool:
      return a.as_bool() == b.as_bool();
    case AttributeValue::Type::kInt:
      return a.as_int() == b.as_int();
    case AttributeValue::Type::kDouble:
      return a.as_double() == b.as_double();
    case AttributeValue::Type::kString:
      return a.as_string() == b.as_string();
  }
  return false;
}

void expect_same_store(const AttributeStore& a, const AttributeStore& b, int round) {
  ASSERT_EQ(a.size(), b.size()) << round;
  EXPECT_EQ(a.dropped(), b.dropped()) << round;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a.at(i).key, b.at(i).key) << round;
    EXPECT_TRUE(same_value(a.at(i).value, b.at(i).value)) << round << " " << a.at(i).key;
  }
}

TEST(AttributeStoreTest, DistinctStartAttributesStoreAsSetAllDoes) {
  std::mt19937 random(11u);
  for (int round = 0; round < 500; ++round) {
    const auto kv = random_distinct_keys_and_values(random);
    const std::vector<Attribute> attributes = as_attributes(kv, random);
    const std::size_t max_count = random() % 2 == 0 ? kNoLimit : random() % 30;
    const std::size_t max_length = random() % 2 == 0 ? kNoLimit : random() % 40;
    const ArrayView<Attribute> view(attributes.data(), attributes.size());
    AttributeStore general;
    general.set_all(view, max_count, max_length);
    AttributeStore distinct;
    distinct.set_all_distinct(view, max_count, max_length);
    expect_same_store(general, distinct, round);
    // Later sets find the stored keys (replace) and add new ones, as after set_all.
    if (!kv.empty()) {
      const std::string& existing = kv[random() % kv.size()].first;
      general.set(existing, "replaced", max_count, max_length);
      distinct.set(existing, "replaced", max_count, max_length);
    }
    general.set("later", 1, max_count, max_length);
    distinct.set("later", 1, max_count, max_length);
    expect_same_store(general, distinct, round);
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(AttributeStoreTest, DistinctStartAttributesHonourTheLimits) {
  const std::vector<Attribute> attributes = {
      {"a", "0123456789"}, {"", 1}, {"b", 2}, {"c", "xyz"}, {"d", true}};
  AttributeStore store;
  store.set_all_distinct(ArrayView<Attribute>(attributes.data(), attributes.size()), 2, 4);
  ASSERT_EQ(store.size(), 2u);
  EXPECT_EQ(store.at(0).key, "a");
  EXPECT_EQ(store.at(0).value.as_string(), "0123");
  EXPECT_EQ(store.at(1).key, "b");
  EXPECT_EQ(store.dropped(), 3u);  // the empty key, "c" and "d"
  EXPECT_FALSE(store.set("e", 5, 2, 4));
  EXPECT_EQ(store.dropped(), 4u);
}

TEST(AttributeStoreTest, DistinctOnANonEmptyStoreStillReplacesExistingKeys) {
  AttributeStore store;
  store.set("a", 1, kNoLimit, kNoLimit);
  const std::vector<Attribute> attributes = {{"a", 2}, {"b", 3}};
  store.set_all_distinct(ArrayView<Attribute>(attributes.data(), attributes.size()), kNoLimit,
                         kNoLimit);
  ASSERT_EQ(store.size(), 2u);
  EXPECT_EQ(store.at(0).value.as_int(), 2);
}

// A delivery report sets one attribute after start: a fresh store (as in a SpanData the pool
// has just made) must already have room for it, and a recycled one keeps that room.
TEST(AttributeStoreTest, StartAttributesLeaveRoomForAttributesSetLater) {
  for (const bool distinct : {false, true}) {
    for (std::size_t n : {1u, 8u, 12u, 17u, 32u}) {
      std::vector<std::string> keys;
      for (std::size_t i = 0; i < n; ++i)
        keys.push_back("messaging.attribute." + std::to_string(i));
      std::vector<Attribute> attributes;
      for (const std::string& key : keys) attributes.push_back({key, "a-value-of-some-length"});
      const ArrayView<Attribute> view(attributes.data(), attributes.size());
      AttributeStore store;
      for (int use = 0; use < 3; ++use) {
        if (distinct) {
          store.set_all_distinct(view, kNoLimit, kNoLimit);
        } else {
          store.set_all(view, kNoLimit, kNoLimit);
        }
        const std::size_t capacity = store.capacity();
        EXPECT_GE(capacity, n + AttributeStore::kRoomAfterStart);
        for (std::size_t later = 0; later < AttributeStore::kRoomAfterStart; ++later) {
          EXPECT_TRUE(
              store.set("messaging.kafka.offset." + std::to_string(later), 42, kNoLimit, kNoLimit));
        }
        EXPECT_EQ(store.capacity(), capacity) << "n=" << n << " use=" << use;
        store.clear();
        EXPECT_EQ(store.capacity(), capacity);
      }
    }
  }
}

}  // namespace
}  // namespace hoptrace::sdk
