// Baggage's one-block storage: the view accessor, copies sharing the block, and the rebuilt
// blocks of with() and without().
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "hoptrace/core/baggage.h"

namespace hoptrace {
namespace {

using Views = std::vector<std::tuple<std::string, std::string, std::string>>;

Views views_of(const Baggage& b) {
  Views out;
  b.for_each_view([&](std::string_view k, std::string_view v, std::string_view p) {
    out.emplace_back(k, v, p);
    return true;
  });
  return out;
}

TEST(BaggageStorageTest, ForEachViewSeesDecodedValuesAndRawProperties) {
  const Baggage b = Baggage::parse("tenant=acme,user=J%C3%B6rg;p=1;flag, region = eu-west-1 ");
  EXPECT_EQ(views_of(b), (Views{{"tenant", "acme", ""},
                                {"user", "J\xC3\xB6rg", "p=1;flag"},
                                {"region", "eu-west-1", ""}}));
  int visits = 0;
  b.for_each_view([&](std::string_view, std::string_view, std::string_view) {
    ++visits;
    return false;
  });
  EXPECT_EQ(visits, 1);
  // for_each (owning copies) sees the same.
  Views copies;
  b.for_each([&](const BaggageEntry& e) {
    copies.emplace_back(e.key, e.value, e.properties);
    return true;
  });
  EXPECT_EQ(copies, views_of(b));
}

TEST(BaggageStorageTest, CopiesShareTheBlockAndOutliveTheOriginal) {
  std::string_view value;
  Baggage copy;
  {
    const Baggage original = Baggage::parse("k=some-value,k2=v2");
    copy = original;
    value = *original.get("k");
    EXPECT_EQ(copy.get("k")->data(), value.data());
  }
  EXPECT_EQ(value, "some-value");  // still alive through the copy
  Baggage moved(std::move(copy));
  EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): documented to be empty
  EXPECT_EQ(moved.size(), 2u);
  Baggage target = Baggage::parse("x=1");
  target = std::move(moved);
  EXPECT_EQ(target.get("k2"), "v2");
  const Baggage& alias = target;
  target = alias;
  EXPECT_EQ(target.size(), 2u);
}

TEST(BaggageStorageTest, DuplicatesKeepFirstPlaceLastValueEvenWhenDecoded) {
  const Baggage b = Baggage::parse("a=%41,b=2,a=3%20x,c=%zz");
  EXPECT_EQ(views_of(b), (Views{{"a", "3 x", ""}, {"b", "2", ""}, {"c", "%zz", ""}}));
}

TEST(BaggageStorageTest, WithAndWithoutBuildNewBlocksAndLeaveTheOriginal) {
  const Baggage b = Baggage::parse("a=1,b=2;p");
  const Baggage more = b.with("c", "3 4", "q=1").with("a", "x");
  EXPECT_EQ(views_of(more), (Views{{"a", "x", ""}, {"b", "2", "p"}, {"c", "3 4", "q=1"}}));
  EXPECT_EQ(views_of(b), (Views{{"a", "1", ""}, {"b", "2", "p"}}));
  EXPECT_EQ(views_of(more.without("b")), (Views{{"a", "x", ""}, {"c", "3 4", "q=1"}}));
  EXPECT_TRUE(b.without("a").without("b").empty());
  EXPECT_EQ(more.to_header(), "a=x,b=2;p,c=3%204;q=1");
}

}  // namespace
}  // namespace hoptrace
