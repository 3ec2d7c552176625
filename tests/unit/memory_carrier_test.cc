#include "hoptrace/core/memory_carrier.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hoptrace {
namespace {

TEST(MemoryCarrierTest, GetReturnsLastOccurrenceCaseInsensitively) {
  MemoryCarrier c;
  c.add("TraceParent", "first");
  c.add("traceparent", "second");
  EXPECT_EQ(c.get("traceparent"), "second");
  EXPECT_FALSE(c.get("tracestate").has_value());
}

TEST(MemoryCarrierTest, SetReplacesEveryExistingValue) {
  MemoryCarrier c;
  c.add("traceparent", "a");
  c.add("other", "x");
  c.add("traceparent", "b");
  ASSERT_TRUE(c.set("traceparent", "c"));
  std::vector<std::string> values;
  c.for_each_value("traceparent", [&](std::string_view v) {
    values.emplace_back(v);
    return true;
  });
  EXPECT_EQ(values, std::vector<std::string>{"c"});
  EXPECT_EQ(c.get("other"), "x");
}

TEST(MemoryCarrierTest, RemoveFieldsMatchesKeysAndPrefixesButNotExcluded) {
  MemoryCarrier c;
  c.add("b3", "1");
  c.add("uberctx-user", "u");
  c.add("x-b3-traceid", "t");
  c.add("keep", "k");
  FieldSet fields({"b3", "x-b3-traceid"}, {"uberctx-"});
  fields.exclude("x-b3-traceid");
  c.remove_fields(fields);
  std::vector<std::string> keys;
  c.for_each_key([&](std::string_view k) {
    keys.emplace_back(k);
    return true;
  });
  EXPECT_EQ(keys, (std::vector<std::string>{"x-b3-traceid", "keep"}));
}

std::vector<std::string> fields_of(const MemoryCarrier& c) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < c.size(); ++i) out.push_back(c.at(i).first + "=" + c.at(i).second);
  return out;
}

TEST(MemoryCarrierTest, SetAndRemoveOverwritesInPlaceAndDropsListedKeysInOnePass) {
  MemoryCarrier c;
  c.add("a", "1");
  c.add("TraceParent", "old");
  c.add("tracestate", "stale");
  c.add("b", "2");
  c.add("traceparent", "dup");
  c.add("TRACESTATE", "stale2");
  ASSERT_TRUE(c.set_and_remove("traceparent", "new", {"tracestate", "absent"}));
  EXPECT_EQ(fields_of(c), (std::vector<std::string>{"a=1", "TraceParent=new", "b=2"}));
}

TEST(MemoryCarrierTest, SetAndRemoveAppendsWhenKeyIsAbsent) {
  MemoryCarrier c;
  c.add("tracestate", "stale");
  c.add("x", "y");
  ASSERT_TRUE(c.set_and_remove("traceparent", "v", {"tracestate"}));
  EXPECT_EQ(fields_of(c), (std::vector<std::string>{"x=y", "traceparent=v"}));
  // A key both set and listed for removal ends up set.
  ASSERT_TRUE(c.set_and_remove("x", "z", {"x"}));
  EXPECT_EQ(fields_of(c), (std::vector<std::string>{"x=z", "traceparent=v"}));
}

TEST(MemoryCarrierTest, SetReusesSlotsOfEveryLength) {
  MemoryCarrier c;
  c.add("k", std::string(40, 'a'));
  for (std::size_t n : {0u, 1u, 7u, 8u, 15u, 16u, 17u, 39u, 40u, 41u, 200u, 3u}) {
    const std::string value(n, static_cast<char>('b' + n % 20));
    ASSERT_TRUE(c.set("K", value));
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c.get("k"), value) << n;
  }
}

TEST(MemoryCarrierTest, RemoveKeepsOrderAndIgnoresAbsentKeys) {
  MemoryCarrier c;
  c.add("a", "1");
  c.add("b", "2");
  c.add("B", "3");
  c.add("c", "4");
  c.remove("zz");
  EXPECT_EQ(fields_of(c), (std::vector<std::string>{"a=1", "b=2", "B=3", "c=4"}));
  c.remove("b");
  EXPECT_EQ(fields_of(c), (std::vector<std::string>{"a=1", "c=4"}));
}

TEST(MemoryCarrierTest, NamesDifferingOnlyInNonLetterBitsDoNotMatch) {
  MemoryCarrier c;
  c.add("x-b3-traceid", "1");
  EXPECT_FALSE(c.get("x\b3\traceid").has_value());  // '-' ^ '\' is not a case change
  EXPECT_FALSE(c.get("x-b3-traceie").has_value());
  EXPECT_EQ(c.get("X-B3-TRACEID"), "1");
}

// The default set_and_remove, for carriers that do not override it.
class RecordingWriter final : public CarrierWriter {
 public:
  bool set(std::string_view key, std::string_view value) noexcept override {
    calls.push_back("set " + std::string(key) + "=" + std::string(value));
    return accept;
  }
  void remove(std::string_view key) noexcept override {
    calls.push_back("remove " + std::string(key));
  }
  void remove_fields(const FieldSet&) noexcept override { calls.emplace_back("remove_fields"); }
  std::vector<std::string> calls;
  bool accept = true;
};

TEST(CarrierWriterTest, DefaultSetAndRemoveRemovesThenSets) {
  RecordingWriter w;
  EXPECT_TRUE(w.set_and_remove("traceparent", "v", {"tracestate", "b3"}));
  EXPECT_EQ(w.calls,
            (std::vector<std::string>{"remove tracestate", "remove b3", "set traceparent=v"}));
  w.accept = false;
  EXPECT_FALSE(w.set_and_remove("k", "v", {}));
}

}  // namespace
}  // namespace hoptrace
