#include "hoptrace/core/trace_state.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace hoptrace {
namespace {

using Members = std::vector<std::pair<std::string, std::string>>;

Members members_of(const TraceState& ts) {
  Members out;
  ts.for_each([&](std::string_view k, std::string_view v) {
    out.emplace_back(k, v);
    return true;
  });
  return out;
}

std::string numbered_members(int count, int first = 1) {
  std::string out;
  for (int i = first; i < first + count; ++i) {
    if (!out.empty()) out += ',';
    out += "k" + std::to_string(i) + "=" + std::to_string(i);
  }
  return out;
}

TraceStateError error_of(std::string_view header) {
  TraceStateError error = TraceStateError::kNone;
  TraceState::parse(header, &error);
  return error;
}

TEST(TraceStateTest, DefaultIsEmpty) {
  TraceState ts;
  EXPECT_TRUE(ts.empty());
  EXPECT_EQ(ts.size(), 0u);
  EXPECT_EQ(ts.header(), "");
  EXPECT_FALSE(ts.get("foo").has_value());
}

TEST(TraceStateTest, ParsesMembersInOrder) {
  const TraceState ts = TraceState::parse("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  EXPECT_EQ(ts.size(), 2u);
  EXPECT_EQ(ts.header(), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  EXPECT_EQ(ts.get("rojo"), "00f067aa0ba902b7");
  EXPECT_EQ(ts.get("congo"), "t61rcWkgMzE");
  EXPECT_FALSE(ts.get("rojo=").has_value());
  EXPECT_FALSE(ts.get("ro").has_value());
  EXPECT_EQ(members_of(ts), (Members{{"rojo", "00f067aa0ba902b7"}, {"congo", "t61rcWkgMzE"}}));
}

TEST(TraceStateTest, EmptyHeaderAndEmptyMembersAreAccepted) {
  TraceStateError error = TraceStateError::kInvalidKey;
  EXPECT_TRUE(TraceState::parse("", &error).empty());
  EXPECT_EQ(error, TraceStateError::kNone);
  EXPECT_TRUE(TraceState::parse(" \t , ,", &error).empty());
  EXPECT_EQ(error, TraceStateError::kNone);
  EXPECT_EQ(TraceState::parse(",foo=1,, \t ,bar=2,").header(), "foo=1,bar=2");
}

TEST(TraceStateTest, OptionalWhitespaceAroundMembersIsDropped) {
  // W3C test_tracestate_ows_handling.
  EXPECT_EQ(TraceState::parse("foo=1 \t , \t bar=2, \t baz=3").header(), "foo=1,bar=2,baz=3");
  EXPECT_EQ(TraceState::parse(" \t foo=1").header(), "foo=1");
  EXPECT_EQ(TraceState::parse("foo=1\t \t").header(), "foo=1");
  EXPECT_EQ(TraceState::parse("foo=1 \t ,\t bar=2").get("bar"), "2");
}

TEST(TraceStateTest, LeadingSpacesInValuesAreKept) {
  const TraceState ts = TraceState::parse("foo=  1  ,bar=2");
  EXPECT_EQ(ts.get("foo"), "  1");
  EXPECT_EQ(ts.header(), "foo=  1,bar=2");
}

TEST(TraceStateTest, AllAllowedCharacters) {
  // W3C test_tracestate_all_allowed_characters.
  const std::string key = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
  std::string value;
  for (int c = 0x20; c <= 0x7e; ++c) {
    if (c != ',' && c != '=') value += static_cast<char>(c);
  }
  const TraceState ts = TraceState::parse(key + "=" + value);
  ASSERT_FALSE(ts.empty());
  EXPECT_EQ(ts.get(key), value);
}

TEST(TraceStateTest, Level2KeysWithAtSigns) {
  for (const char* key : {"foo@", "foo@@bar", "foo@bar@baz", "t@abcdefghijklmno", "0tenant@sys"}) {
    SCOPED_TRACE(key);
    EXPECT_TRUE(TraceState::is_valid_key(key));
    const TraceState ts = TraceState::parse(std::string(key) + "=1,bar=2");
    EXPECT_EQ(ts.size(), 2u);
    EXPECT_EQ(ts.get(key), "1");
  }
}

TEST(TraceStateTest, InvalidKeyDiscardsWholeHeader) {
  // W3C test_tracestate_key_illegal_characters / illegal_vendor_format.
  for (const char* header : {"@foo=1,bar=2", "foo =1,bar=2", "FOO=1,bar=2", "foo.bar=1,bar=2",
                             "_foo=1,bar=2", "bar=2,=1"}) {
    SCOPED_TRACE(header);
    TraceStateError error = TraceStateError::kNone;
    EXPECT_TRUE(TraceState::parse(header, &error).empty());
    EXPECT_EQ(error, TraceStateError::kInvalidKey);
  }
}

TEST(TraceStateTest, InvalidValueDiscardsWholeHeader) {
  // W3C test_tracestate_value_illegal_characters.
  for (const char* header :
       {"foo=bar=baz", "foo=,bar=3", "bar=3,foo=", "foo=\x7f", "foo=a\tb", "foo= "}) {
    SCOPED_TRACE(header);
    EXPECT_EQ(error_of(header), TraceStateError::kInvalidValue);
    EXPECT_TRUE(TraceState::parse(header).empty());
  }
}

TEST(TraceStateTest, MemberWithoutEqualsDiscardsWholeHeader) {
  EXPECT_EQ(error_of("foo=1,bar"), TraceStateError::kMissingEquals);
  EXPECT_TRUE(TraceState::parse("foo=1,bar").empty());
}

TEST(TraceStateTest, ThirtyTwoMembersKeptThirtyThreeDiscarded) {
  // W3C test_tracestate_member_count_limit.
  const TraceState ok = TraceState::parse(numbered_members(32));
  EXPECT_EQ(ok.size(), 32u);
  EXPECT_EQ(ok.get("k32"), "32");
  EXPECT_EQ(error_of(numbered_members(33)), TraceStateError::kTooManyMembers);
  EXPECT_TRUE(TraceState::parse(numbered_members(33)).empty());
}

TEST(TraceStateTest, EmptyMembersDoNotCountTowardsTheLimit) {
  EXPECT_EQ(TraceState::parse(numbered_members(32) + ",,, ,").size(), 32u);
}

TEST(TraceStateTest, KeyLengthLimit) {
  // W3C test_tracestate_key_length_limit (Level 2 counts the whole key).
  const std::string key256(256, 'k');
  EXPECT_EQ(TraceState::parse(key256 + "=1,foo=1").get(key256), "1");
  EXPECT_EQ(error_of(std::string(257, 'k') + "=1,foo=1"), TraceStateError::kInvalidKey);
  EXPECT_EQ(TraceState::parse(std::string(241, 't') + "@" + std::string(14, 's') + "=1").size(),
            1u);
  EXPECT_TRUE(TraceState::parse(std::string(242, 't') + "@" + std::string(14, 's') + "=1").empty());
}

TEST(TraceStateTest, ValueLengthLimit) {
  EXPECT_TRUE(TraceState::is_valid_value(std::string(256, 'v')));
  EXPECT_FALSE(TraceState::is_valid_value(std::string(257, 'v')));
  EXPECT_EQ(error_of("foo=" + std::string(257, 'v')), TraceStateError::kInvalidValue);
}

TEST(TraceStateTest, DuplicateKeysKeepTheFirst) {
  const TraceState ts = TraceState::parse("foo=1,bar=2,foo=3");
  EXPECT_EQ(ts.header(), "foo=1,bar=2");
  EXPECT_EQ(ts.get("foo"), "1");
}

TEST(TraceStateTest, HugeHeaderIsRejectedUnread) {
  // 10 MB of garbage that would be a valid list member if it were read: the length check comes
  // first, so it is never scanned.
  const std::string huge(10 * 1024 * 1024, 'a');
  TraceStateError error = TraceStateError::kNone;
  EXPECT_TRUE(TraceState::parse(huge, &error).empty());
  EXPECT_EQ(error, TraceStateError::kTooLong);
  EXPECT_EQ(error_of(std::string(TraceState::kMaxHeaderLength + 1, ' ')),
            TraceStateError::kTooLong);
}

TEST(TraceStateTest, BinaryBytesAreRejected) {
  const std::string binary("foo=1,b\0r=\xff\xfe", 12);
  EXPECT_TRUE(TraceState::parse(binary).empty());
  EXPECT_EQ(error_of(std::string("foo=\0", 5)), TraceStateError::kInvalidValue);
  EXPECT_EQ(error_of("foo=\xc3\xa9"), TraceStateError::kInvalidValue);
}

TEST(TraceStateTest, LongListIsTruncatedToFiveHundredTwelveCharsDroppingLongMembersFirst) {
  // Three 200-char members and short ones (618 chars): the long ones go first, right-most
  // first, and only as many as needed.
  const std::string long_value(197, 'x');
  std::string header =
      "a=1,l1=" + long_value + ",b=2,l2=" + long_value + ",c=3,l3=" + long_value + ",d=4";
  ASSERT_GT(header.size(), TraceState::kMaxPropagatedLength);
  const TraceState ts = TraceState::parse(header);
  EXPECT_LE(ts.header().size(), TraceState::kMaxPropagatedLength);
  EXPECT_TRUE(ts.get("l1").has_value());
  EXPECT_TRUE(ts.get("l2").has_value());
  EXPECT_FALSE(ts.get("l3").has_value());
  for (const char* key : {"a", "b", "c", "d"}) EXPECT_TRUE(ts.get(key).has_value()) << key;
}

TEST(TraceStateTest, TruncationFallsBackToRightMostMembers) {
  // 32 members of 20 chars each (672 chars) and none over 128: drop from the right.
  std::string header;
  for (int i = 10; i < 42; ++i) {
    if (!header.empty()) header += ',';
    header += "key" + std::to_string(i) + "=" + std::string(14, 'v');
  }
  const TraceState ts = TraceState::parse(header);
  EXPECT_LE(ts.header().size(), TraceState::kMaxPropagatedLength);
  EXPECT_EQ(ts.size(), 24u);  // 24 * 20 + 23 commas = 503
  EXPECT_TRUE(ts.get("key10").has_value());
  EXPECT_TRUE(ts.get("key33").has_value());
  EXPECT_FALSE(ts.get("key34").has_value());
}

TEST(TraceStateTest, SingleOversizedMemberIsDropped) {
  const std::string member = std::string(256, 'k') + "=" + std::string(256, 'v');  // 513 chars
  EXPECT_TRUE(TraceState::parse(member).empty());
  EXPECT_EQ(TraceState::parse("a=1," + member).header(), "a=1");
}

TEST(TraceStateTest, WithPutsNewAndUpdatedKeysOnTheLeft) {
  const TraceState ts = TraceState::parse("a=1,b=2,c=3");
  EXPECT_EQ(ts.with("d", "4").header(), "d=4,a=1,b=2,c=3");
  EXPECT_EQ(ts.with("b", "9").header(), "b=9,a=1,c=3");
  EXPECT_EQ(ts.header(), "a=1,b=2,c=3");  // immutable
  EXPECT_EQ(TraceState().with("ot", "rv:6e6d1a75832a2f").header(), "ot=rv:6e6d1a75832a2f");
}

TEST(TraceStateTest, WithDropsTheRightMostOnAThirtyThirdMember) {
  const TraceState full = TraceState::parse(numbered_members(32));
  const TraceState added = full.with("new", "x");
  EXPECT_EQ(added.size(), 32u);
  EXPECT_EQ(members_of(added).front(), (std::pair<std::string, std::string>{"new", "x"}));
  EXPECT_FALSE(added.get("k32").has_value());
  EXPECT_TRUE(added.get("k31").has_value());
}

TEST(TraceStateTest, WithIgnoresInvalidKeyOrValue) {
  const TraceState ts = TraceState::parse("a=1");
  EXPECT_EQ(ts.with("A", "1"), ts);
  EXPECT_EQ(ts.with("b", ""), ts);
  EXPECT_EQ(ts.with("b", "x,y"), ts);
  EXPECT_EQ(ts.with("@b", "1"), ts);
}

TEST(TraceStateTest, WithKeepsTheNewMemberWhenCapping) {
  // 4 long members fill the list; the newly set long member must survive the cap.
  std::string header;
  for (int i = 1; i <= 4; ++i) {
    if (!header.empty()) header += ',';
    header += "l" + std::to_string(i) + "=" + std::string(120, 'x');
  }
  const TraceState ts = TraceState::parse(header);
  ASSERT_EQ(ts.size(), 4u);
  const TraceState updated = ts.with("mine", std::string(200, 'm'));
  EXPECT_TRUE(updated.get("mine").has_value());
  EXPECT_LE(updated.header().size(), TraceState::kMaxPropagatedLength);
  EXPECT_TRUE(updated.get("l1").has_value());
}

TEST(TraceStateTest, WithoutRemovesOnlyThatKey) {
  const TraceState ts = TraceState::parse("a=1,b=2,c=3");
  EXPECT_EQ(ts.without("b").header(), "a=1,c=3");
  EXPECT_EQ(ts.without("zzz"), ts);
  EXPECT_TRUE(TraceState::parse("a=1").without("a").empty());
}

TEST(TraceStateTest, CopiesAreEqualAndOnlyLongStatesShareABuffer) {
  const TraceState a = TraceState::parse("a=1");
  const TraceState b = a;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_NE(a.header().data(), b.header().data());  // inline: each copy holds its own
  EXPECT_EQ(a, b);
  EXPECT_NE(a, TraceState::parse("a=2"));
  const TraceState long_a = TraceState::parse("a=" + std::string(TraceState::kInlineCapacity, 'x'));
  const TraceState long_b = long_a;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(long_a.header().data(), long_b.header().data());
  EXPECT_EQ(long_a, long_b);
}

TEST(TraceStateTest, ForEachStopsWhenAsked) {
  int visits = 0;
  TraceState::parse("a=1,b=2,c=3").for_each([&](std::string_view, std::string_view) {
    ++visits;
    return false;
  });
  EXPECT_EQ(visits, 1);
}

TEST(TraceStateTest, ReparsingTheHeaderIsIdentity) {
  const TraceState ts = TraceState::parse(" foo=1 ,bar=  x ,, baz@v=3\t");
  EXPECT_EQ(TraceState::parse(ts.header()), ts);
}

}  // namespace
}  // namespace hoptrace
