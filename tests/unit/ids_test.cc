#include "hoptrace/core/ids.h"

#include <gtest/gtest.h>

namespace hoptrace {
namespace {

TEST(TraceIdTest, ParsesLowercaseHexAndRoundTrips) {
  auto id = TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  ASSERT_TRUE(id.has_value());
  EXPECT_TRUE(id->is_valid());
  EXPECT_EQ(id->to_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(id->high(), 0x4bf92f3577b34da6ULL);
  EXPECT_EQ(id->low(), 0xa3ce929d0e0e4736ULL);
}

TEST(TraceIdTest, RejectsUppercaseWrongLengthAndNonHex) {
  EXPECT_FALSE(TraceId::from_hex("4BF92F3577B34DA6A3CE929D0E0E4736").has_value());
  EXPECT_FALSE(TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e473").has_value());
  EXPECT_FALSE(TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e473g").has_value());
}

TEST(TraceIdTest, AllZeroParsesButIsInvalid) {
  auto id = TraceId::from_hex("00000000000000000000000000000000");
  ASSERT_TRUE(id.has_value());
  EXPECT_FALSE(id->is_valid());
}

TEST(TraceIdTest, PaddedParsingLeftPadsShortIds) {
  auto id = TraceId::from_hex_padded("A3CE929D0E0E4736");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->to_hex(), "0000000000000000a3ce929d0e0e4736");
  EXPECT_FALSE(TraceId::from_hex_padded("").has_value());
  EXPECT_FALSE(TraceId::from_hex_padded(std::string(33, 'a')).has_value());
}

TEST(SpanIdTest, RoundTripsThroughU64AndHex) {
  const SpanId id = SpanId::from_u64(0x00f067aa0ba902b7ULL);
  EXPECT_EQ(id.to_hex(), "00f067aa0ba902b7");
  EXPECT_EQ(SpanId::from_hex("00f067aa0ba902b7"), id);
  EXPECT_FALSE(SpanId().is_valid());
}

TEST(TraceFlagsTest, BitsAreTestedIndividuallyAndUndefinedBitsClearedForWire) {
  const TraceFlags flags(0xff);
  EXPECT_TRUE(flags.sampled());
  EXPECT_TRUE(flags.random_trace_id());
  EXPECT_EQ(flags.for_wire().bits(), 0x03);
  EXPECT_FALSE(flags.with_sampled(false).sampled());
  EXPECT_EQ(flags.with_sampled(false).bits(), 0xfe);
}

}  // namespace
}  // namespace hoptrace
