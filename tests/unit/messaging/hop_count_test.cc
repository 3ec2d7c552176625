#include "hoptrace/core/messaging/hop_count.h"

#include <gtest/gtest.h>

namespace hoptrace::messaging {
namespace {

TEST(HopCountTest, KeyAndValuesAreValidW3cTraceState) {
  EXPECT_TRUE(TraceState::is_valid_key(kHopTraceStateKey));
  EXPECT_TRUE(TraceState::is_valid_value(HopValue(0).view()));
  EXPECT_TRUE(TraceState::is_valid_value(HopValue(kMaxHopCount).view()));
}

TEST(HopCountTest, FormatsAndSaturates) {
  EXPECT_EQ(HopValue(0).view(), "h:0");
  EXPECT_EQ(HopValue(42).view(), "h:42");
  EXPECT_EQ(HopValue(kMaxHopCount).view(), "h:9999999");
  EXPECT_EQ(HopValue(4'000'000'000u).view(), "h:9999999");
}

TEST(HopCountTest, ParsesTheHopSubEntry) {
  EXPECT_EQ(parse_hop_value("h:0"), 0u);
  EXPECT_EQ(parse_hop_value("h:17"), 17u);
  EXPECT_EQ(parse_hop_value("x:1;h:3;y:z"), 3u);
  EXPECT_EQ(parse_hop_value("h:9999999"), 9999999u);
}

TEST(HopCountTest, RejectsMalformedValues) {
  for (const char* bad : {"", "h:", "h", "3", "h:-1", "h:1a", "h:12345678", "H:3", "x:1"}) {
    EXPECT_FALSE(parse_hop_value(bad).has_value()) << bad;
  }
}

TEST(HopCountTest, ReadsTheCountFromATraceState) {
  EXPECT_EQ(hop_count(TraceState()), 0u);
  EXPECT_EQ(hop_count(TraceState::parse("vendor=x,hoptrace=h:5")), 5u);
  EXPECT_EQ(hop_count(TraceState::parse("hoptrace=garbage")), 0u);
  const SpanContext ctx(TraceId::from_u64(0, 1), SpanId::from_u64(2), TraceFlags(1), true,
                        TraceState::parse("hoptrace=h:2"));
  EXPECT_EQ(hop_count(ctx), 2u);
}

TEST(HopCountTest, WritingMovesTheMemberLeftAndKeepsTheOthers) {
  const TraceState base = TraceState::parse("a=1,hoptrace=h:1,b=2");
  const TraceState next = trace_state_with_hop_count(base, 2);
  EXPECT_EQ(next.header(), "hoptrace=h:2,a=1,b=2");
  EXPECT_EQ(base.header(), "a=1,hoptrace=h:1,b=2");  // immutable
}

TEST(HopCountTest, NextHopIncrementsTheCreationContextsCount) {
  const SpanContext creation(TraceId::from_u64(0, 1), SpanId::from_u64(2), TraceFlags(1), true,
                             TraceState::parse("ot=th:0,hoptrace=h:4"));
  const TraceState next = next_hop_trace_state(creation);
  EXPECT_EQ(hop_count(next), 5u);
  EXPECT_EQ(next.get("ot"), "th:0");

  const SpanContext fresh(TraceId::from_u64(0, 1), SpanId::from_u64(2), TraceFlags(1), true);
  EXPECT_EQ(next_hop_trace_state(fresh).header(), "hoptrace=h:1");
}

}  // namespace
}  // namespace hoptrace::messaging
