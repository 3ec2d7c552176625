#include "hoptrace/core/baggage.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hoptrace {
namespace {

std::vector<std::string> keys_of(const Baggage& b) {
  std::vector<std::string> keys;
  b.for_each([&](const BaggageEntry& e) {
    keys.push_back(e.key);
    return true;
  });
  return keys;
}

BaggageError error_of(std::string_view header) {
  BaggageError error = BaggageError::kNone;
  Baggage::parse(header, &error);
  return error;
}

std::string members(std::size_t count, std::size_t value_size = 1) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ',';
    out += "k" + std::to_string(i) + "=" + std::string(value_size, 'v');
  }
  return out;
}

TEST(BaggageTest, DefaultIsEmpty) {
  Baggage b;
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.to_header(), "");
  EXPECT_FALSE(b.get("k").has_value());
}

TEST(BaggageTest, ParsesKeysValuesAndProperties) {
  const Baggage b = Baggage::parse("userId=alice,serverNode=DF%2028,isProduction=false;ttl=60;x");
  EXPECT_EQ(b.size(), 3u);
  EXPECT_EQ(b.get("userId"), "alice");
  EXPECT_EQ(b.get("serverNode"), "DF 28");
  EXPECT_EQ(b.get("isProduction"), "false");
  std::string properties;
  b.for_each([&](const BaggageEntry& e) {
    if (e.key == "isProduction") properties = e.properties;
    return true;
  });
  EXPECT_EQ(properties, "ttl=60;x");
}

TEST(BaggageTest, OptionalWhitespaceIsNotPartOfKeysOrValues) {
  const Baggage b = Baggage::parse(" \tkey1 = value1 \t, key2\t=\tvalue2 ; prop = 1 ");
  EXPECT_EQ(b.get("key1"), "value1");
  EXPECT_EQ(b.get("key2"), "value2");
  EXPECT_EQ(b.to_header(), "key1=value1,key2=value2;prop = 1");
}

TEST(BaggageTest, ValueMayContainEquals) { EXPECT_EQ(Baggage::parse("k=a=b==").get("k"), "a=b=="); }

TEST(BaggageTest, EmptyValueIsAllowed) {
  const Baggage b = Baggage::parse("k=,j=1");
  EXPECT_EQ(b.get("k"), "");
  EXPECT_EQ(b.size(), 2u);
}

TEST(BaggageTest, MalformedMembersAreDroppedAndTheRestKept) {
  for (const char* header :
       {"good=1,noequals", "good=1,=novalue", "good=1,bad key=1", "good=1,k=\"quoted\"",
        "good=1,k=a b", "good=1,k=back\\slash", "good=1,k=v;=p", "good=1,k=v;;", "good=1,k\x80=1",
        "good=1,k=\xc3\xa9"}) {
    SCOPED_TRACE(header);
    BaggageError error = BaggageError::kNone;
    const Baggage b = Baggage::parse(header, &error);
    EXPECT_EQ(error, BaggageError::kMalformedMember);
    EXPECT_EQ(keys_of(b), std::vector<std::string>{"good"});
  }
}

TEST(BaggageTest, EmptyListElementsAreTolerated) {
  BaggageError error = BaggageError::kMalformedMember;
  EXPECT_EQ(Baggage::parse(",a=1,, ,b=2,", &error).size(), 2u);
  EXPECT_EQ(error, BaggageError::kNone);
}

TEST(BaggageTest, PercentDecodingIsUtf8) {
  EXPECT_EQ(Baggage::parse("k=%E2%9C%93%20ok").get("k"), "\xE2\x9C\x93 ok");
  EXPECT_EQ(Baggage::parse("k=%c3%a9").get("k"), "\xc3\xa9");  // lowercase hex too
  EXPECT_EQ(Baggage::parse("k=100%25").get("k"), "100%");
}

TEST(BaggageTest, InvalidUtf8BecomesReplacementCharacter) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(Baggage::parse("k=a%FFb").get("k"), "a" + fffd + "b");
  EXPECT_EQ(Baggage::parse("k=%C3").get("k"), fffd);                      // truncated sequence
  EXPECT_EQ(Baggage::parse("k=%C0%AF").get("k"), fffd + fffd);            // overlong
  EXPECT_EQ(Baggage::parse("k=%ED%A0%80").get("k"), fffd + fffd + fffd);  // surrogate
  EXPECT_EQ(Baggage::parse("k=%E2%9Cx").get("k"), fffd + "x");            // maximal subpart
  EXPECT_EQ(Baggage::parse("k=%F4%90%80%80").get("k"), fffd + fffd + fffd + fffd);
}

TEST(BaggageTest, StrayPercentIsKeptLiterally) {
  EXPECT_EQ(Baggage::parse("k=50%").get("k"), "50%");
  EXPECT_EQ(Baggage::parse("k=%zz").get("k"), "%zz");
  EXPECT_EQ(Baggage::parse("k=%4").get("k"), "%4");
}

TEST(BaggageTest, SerializePercentEncodesEverythingOutsideBaggageOctet) {
  const Baggage b = Baggage().with("k", std::string("a b,c;d\"e\\f%g\xc3\xa9=h\x01", 18));
  EXPECT_EQ(b.to_header(), "k=a%20b%2Cc%3Bd%22e%5Cf%25g%C3%A9=h%01");
  EXPECT_EQ(Baggage::parse(b.to_header()).get("k"), b.get("k"));
}

TEST(BaggageTest, DuplicateKeysAreNeverSerialized) {
  const Baggage b = Baggage::parse("a=1,b=2,a=3");
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(b.get("a"), "3");  // the last value wins, at the first one's place
  EXPECT_EQ(b.to_header(), "a=3,b=2");
}

TEST(BaggageTest, WithReplacesInPlaceOrAppends) {
  const Baggage b = Baggage::parse("a=1,b=2");
  EXPECT_EQ(b.with("a", "9").to_header(), "a=9,b=2");
  EXPECT_EQ(b.with("c", "3", "p=1").to_header(), "a=1,b=2,c=3;p=1");
  EXPECT_EQ(b.to_header(), "a=1,b=2");  // immutable
}

TEST(BaggageTest, WithIgnoresInvalidKeysAndProperties) {
  const Baggage b = Baggage::parse("a=1");
  EXPECT_EQ(b.with("bad key", "1").to_header(), "a=1");
  EXPECT_EQ(b.with("", "1").to_header(), "a=1");
  EXPECT_EQ(b.with("c", "1", "p=a b").to_header(), "a=1");
}

TEST(BaggageTest, WithoutRemovesTheKey) {
  const Baggage b = Baggage::parse("a=1,b=2");
  EXPECT_EQ(b.without("a").to_header(), "b=2");
  EXPECT_TRUE(b.without("a").without("b").empty());
  EXPECT_EQ(b.without("zzz").to_header(), "a=1,b=2");
}

TEST(BaggageTest, EverythingWithinTheGuaranteeIsKept) {
  // 64 members and 8192 bytes must always propagate, even with one 5000-byte member.
  const std::string big = "big=" + std::string(5000, 'x');
  const std::string header = big + "," + members(63, 40);
  ASSERT_LE(header.size(), 8192u);
  BaggageError error = BaggageError::kNone;
  const Baggage b = Baggage::parse(header, &error);
  EXPECT_EQ(error, BaggageError::kNone);
  EXPECT_EQ(b.size(), 64u);
  EXPECT_EQ(b.to_header(), header);
}

TEST(BaggageTest, MembersPastOneHundredEightyAreDropped) {
  const Baggage b = Baggage::parse(members(200));
  EXPECT_EQ(b.size(), Baggage::kMaxMembers);
  EXPECT_TRUE(b.get("k179").has_value());
  EXPECT_FALSE(b.get("k180").has_value());
  EXPECT_EQ(error_of(members(200)), BaggageError::kTooManyMembers);
}

TEST(BaggageTest, OversizedMemberIsDroppedWholePastTheGuarantee) {
  const std::string header = "big=" + std::string(4200, 'x') + "," + members(70);
  BaggageError error = BaggageError::kNone;
  const Baggage b = Baggage::parse(header, &error);
  EXPECT_EQ(error, BaggageError::kMemberTooLong);
  EXPECT_FALSE(b.get("big").has_value());
  EXPECT_EQ(b.size(), 70u);
}

TEST(BaggageTest, TotalBytesAreCappedByWholeMembers) {
  // 100 members of 100 bytes: 10099 bytes, so the ones past 8192 bytes go.
  const std::string header = members(100, 96);  // "kNN=" + 96 = 100 bytes (most of them)
  BaggageError error = BaggageError::kNone;
  const Baggage b = Baggage::parse(header, &error);
  EXPECT_EQ(error, BaggageError::kTooLong);
  const std::string out = b.to_header();
  EXPECT_LE(out.size(), Baggage::kMaxTotalBytes);
  EXPECT_GT(out.size(), Baggage::kMaxTotalBytes - 110);
  b.for_each([](const BaggageEntry& e) {
    EXPECT_EQ(e.value.size(), 96u) << e.key;  // never a partial member
    return true;
  });
}

TEST(BaggageTest, SerializeAppliesTheCapsToBuiltUpBaggage) {
  Baggage b;
  for (int i = 0; i < 200; ++i) b = b.with("key" + std::to_string(i), std::string(60, 'v'));
  EXPECT_EQ(b.size(), 200u);
  const std::string out = b.to_header();
  EXPECT_LE(out.size(), Baggage::kMaxTotalBytes);
  const Baggage reparsed = Baggage::parse(out);
  EXPECT_TRUE(reparsed.get("key0").has_value());
  EXPECT_FALSE(reparsed.get("key199").has_value());
  EXPECT_EQ(reparsed.to_header(), out);
}

TEST(BaggageTest, SerializeAppends) {
  std::string out = "prefix;";
  Baggage::parse("a=1").serialize(out);
  EXPECT_EQ(out, "prefix;a=1");
}

TEST(BaggageTest, HugeHeaderIsReadOnlyUpToTheLimit) {
  std::string header = "first=1";
  while (header.size() < 10 * 1024 * 1024) header += ",filler=" + std::string(100, 'f');
  BaggageError error = BaggageError::kNone;
  const Baggage b = Baggage::parse(header, &error);
  EXPECT_NE(error, BaggageError::kNone);
  EXPECT_EQ(b.get("first"), "1");
}

TEST(BaggageTest, BinaryInputNeverCrashes) {
  const std::string binary("a=1,\0\xff\xfe=\x80,b=2", 13);
  const Baggage b = Baggage::parse(binary);
  EXPECT_EQ(keys_of(b), (std::vector<std::string>{"a", "b"}));
}

TEST(BaggageTest, RoundTripIsAFixedPoint) {
  const Baggage b = Baggage::parse(" a = x%2Cy ;p1; p2=v ,b=%F0%9F%98%80,c=%FF%25 ");
  const std::string once = b.to_header();
  EXPECT_EQ(Baggage::parse(once).to_header(), once);
  EXPECT_EQ(Baggage::parse(once).get("a"), "x,y");
}

}  // namespace
}  // namespace hoptrace
