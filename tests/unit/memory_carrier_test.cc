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

}  // namespace
}  // namespace hoptrace
