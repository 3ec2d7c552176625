#include <gtest/gtest.h>

#include <string>

#include "hoptrace/core/memory_carrier.h"
#include "hoptrace/core/propagation/b3.h"
#include "hoptrace/core/propagation/stats.h"

namespace hoptrace {
namespace {

constexpr char kTrace[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kSpan[] = "00f067aa0ba902b7";

std::uint64_t count(PropagationFormat f, RejectReason r) { return propagation_stats().count(f, r); }

Context extract(const MemoryCarrier& c) {
  Context ctx;
  B3Propagator().extract(c, ctx);
  return ctx;
}

SpanContext sample_context(bool sampled) {
  return SpanContext(*TraceId::from_hex(kTrace), *SpanId::from_hex(kSpan),
                     TraceFlags(sampled ? TraceFlags::kSampled : 0), false);
}

TEST(B3PropagatorTest, SingleHeaderWithSampledState) {
  MemoryCarrier c;
  c.add("b3", std::string(kTrace) + "-" + kSpan + "-1");
  const Context ctx = extract(c);
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_EQ(ctx.span_context.trace_id().to_hex(), kTrace);
  EXPECT_EQ(ctx.span_context.span_id().to_hex(), kSpan);
  EXPECT_TRUE(ctx.span_context.is_sampled());
  EXPECT_TRUE(ctx.span_context.is_remote());
}

TEST(B3PropagatorTest, SingleHeaderStates) {
  for (const auto& [state, sampled] :
       {std::pair<std::string, bool>{"", false}, {"-0", false}, {"-1", true}, {"-d", true}}) {
    MemoryCarrier c;
    c.add("b3", std::string(kTrace) + "-" + kSpan + state);
    const Context ctx = extract(c);
    ASSERT_TRUE(ctx.span_context.is_valid()) << state;
    EXPECT_EQ(ctx.span_context.is_sampled(), sampled) << state;
  }
}

TEST(B3PropagatorTest, SingleHeaderWithParentSpanIdIsReadButParentIgnored) {
  MemoryCarrier c;
  c.add("b3", std::string(kTrace) + "-" + kSpan + "-1-" + "05e3ac9a4f6e3b90");
  const Context ctx = extract(c);
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_EQ(ctx.span_context.span_id().to_hex(), kSpan);
}

TEST(B3PropagatorTest, SixtyFourBitTraceIdIsLeftPadded) {
  MemoryCarrier c;
  c.add("b3", std::string("a3ce929d0e0e4736-") + kSpan + "-1");
  const Context ctx = extract(c);
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_EQ(ctx.span_context.trace_id().to_hex(), "0000000000000000a3ce929d0e0e4736");
}

TEST(B3PropagatorTest, LoneSamplingStateCarriesNoContext) {
  for (const char* v : {"0", "1", "d"}) {
    const auto before = propagation_stats().total();
    MemoryCarrier c;
    c.add("b3", v);
    EXPECT_FALSE(extract(c).span_context.is_valid()) << v;
    EXPECT_EQ(propagation_stats().total(), before) << "a valid deny is not a rejection";
  }
}

TEST(B3PropagatorTest, DenyDoesNotBlockMultiHeaders) {
  MemoryCarrier c;
  c.add("b3", "0");
  c.add("X-B3-TraceId", kTrace);
  c.add("X-B3-SpanId", kSpan);
  EXPECT_TRUE(extract(c).span_context.is_valid());
}

TEST(B3PropagatorTest, MalformedSingleHeadersAreRejectedAndCounted) {
  const std::string t(kTrace), s(kSpan);
  for (const std::string& v :
       {t, t + "-", t + "-" + s + "-x", t + "-" + s + "-1-123", t + "-" + s + "-1-00f067aa0ba902bx",
        t + "-" + s + "-1-" + s.substr(2) + "-x", t.substr(0, 20) + "-" + s, t + "-" + s.substr(1),
        "zz" + t.substr(2) + "-" + s, std::string("-") + s, t + "--1",
        std::string("\x01\x02\xff", 3), std::string()}) {
    const auto before = count(PropagationFormat::kB3, RejectReason::kMalformed);
    MemoryCarrier c;
    c.add("b3", v);
    EXPECT_FALSE(extract(c).span_context.is_valid()) << v;
    EXPECT_EQ(count(PropagationFormat::kB3, RejectReason::kMalformed), before + 1) << v;
  }
}

TEST(B3PropagatorTest, ZeroIdsAreInvalid) {
  const auto before = count(PropagationFormat::kB3, RejectReason::kInvalidId);
  MemoryCarrier c;
  c.add("b3", std::string(32, '0') + "-" + kSpan);
  EXPECT_FALSE(extract(c).span_context.is_valid());
  MemoryCarrier d;
  d.add("b3", std::string(kTrace) + "-" + std::string(16, '0'));
  EXPECT_FALSE(extract(d).span_context.is_valid());
  EXPECT_EQ(count(PropagationFormat::kB3, RejectReason::kInvalidId), before + 2);
}

TEST(B3PropagatorTest, HugeSingleHeaderIsRejectedUnreadAsOversized) {
  const auto before = count(PropagationFormat::kB3, RejectReason::kOversized);
  MemoryCarrier c;
  c.add("b3", std::string(kTrace) + "-" + kSpan + "-1-" + std::string(10 << 20, 'a'));
  EXPECT_FALSE(extract(c).span_context.is_valid());
  EXPECT_EQ(count(PropagationFormat::kB3, RejectReason::kOversized), before + 1);
}

TEST(B3PropagatorTest, SurroundingWhitespaceIsTolerated) {
  MemoryCarrier c;
  c.add("b3", std::string(" \t") + kTrace + "-" + kSpan + "-1 ");
  EXPECT_TRUE(extract(c).span_context.is_valid());
}

TEST(B3PropagatorTest, SingleWinsOverMulti) {
  MemoryCarrier c;
  c.add("x-b3-traceid", "11111111111111111111111111111111");
  c.add("x-b3-spanid", "2222222222222222");
  c.add("b3", std::string(kTrace) + "-" + kSpan);
  EXPECT_EQ(extract(c).span_context.trace_id().to_hex(), kTrace);
}

TEST(B3PropagatorTest, InvalidSingleFallsBackToMulti) {
  MemoryCarrier c;
  c.add("b3", "garbage");
  c.add("x-b3-traceid", kTrace);
  c.add("x-b3-spanid", kSpan);
  EXPECT_EQ(extract(c).span_context.trace_id().to_hex(), kTrace);
}

TEST(B3PropagatorTest, MultiHeadersAreCaseInsensitiveOnCarrier) {
  MemoryCarrier c;
  c.add("X-B3-TraceId", kTrace);
  c.add("X-B3-SpanId", kSpan);
  c.add("X-B3-Sampled", "1");
  const Context ctx = extract(c);
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_TRUE(ctx.span_context.is_sampled());
  EXPECT_EQ(ctx.span_context.span_id().to_hex(), kSpan);
}

TEST(B3PropagatorTest, MultiSampledAcceptsTrueFalseLeniently) {
  for (const auto& [value, sampled] : {std::pair<const char*, bool>{"1", true},
                                       {"true", true},
                                       {"TRUE", true},
                                       {"0", false},
                                       {"false", false},
                                       {"False", false}}) {
    MemoryCarrier c;
    c.add("x-b3-traceid", kTrace);
    c.add("x-b3-spanid", kSpan);
    c.add("x-b3-sampled", value);
    const Context ctx = extract(c);
    ASSERT_TRUE(ctx.span_context.is_valid()) << value;
    EXPECT_EQ(ctx.span_context.is_sampled(), sampled) << value;
  }
}

TEST(B3PropagatorTest, MultiGarbageSampledDefersAndIsCounted) {
  const auto before = count(PropagationFormat::kB3Multi, RejectReason::kMalformed);
  MemoryCarrier c;
  c.add("x-b3-traceid", kTrace);
  c.add("x-b3-spanid", kSpan);
  c.add("x-b3-sampled", "yes please");
  const Context ctx = extract(c);
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_FALSE(ctx.span_context.is_sampled());
  EXPECT_EQ(count(PropagationFormat::kB3Multi, RejectReason::kMalformed), before + 1);
}

TEST(B3PropagatorTest, MultiDebugFlagMeansSampled) {
  MemoryCarrier c;
  c.add("x-b3-traceid", kTrace);
  c.add("x-b3-spanid", kSpan);
  c.add("x-b3-flags", "1");
  EXPECT_TRUE(extract(c).span_context.is_sampled());
}

TEST(B3PropagatorTest, MultiFirstDuplicateWins) {
  MemoryCarrier c;  // kLastWins: get() would return the second
  c.add("x-b3-traceid", kTrace);
  c.add("x-b3-traceid", "11111111111111111111111111111111");
  c.add("x-b3-spanid", kSpan);
  c.add("x-b3-spanid", "2222222222222222");
  c.add("x-b3-sampled", "1");
  c.add("x-b3-sampled", "0");
  const Context ctx = extract(c);
  EXPECT_EQ(ctx.span_context.trace_id().to_hex(), kTrace);
  EXPECT_EQ(ctx.span_context.span_id().to_hex(), kSpan);
  EXPECT_TRUE(ctx.span_context.is_sampled());
}

TEST(B3PropagatorTest, SingleFirstDuplicateWins) {
  MemoryCarrier c;
  c.add("b3", std::string(kTrace) + "-" + kSpan);
  c.add("b3", "11111111111111111111111111111111-2222222222222222");
  EXPECT_EQ(extract(c).span_context.trace_id().to_hex(), kTrace);
}

TEST(B3PropagatorTest, MultiSixtyFourBitTraceIdIsLeftPadded) {
  MemoryCarrier c;
  c.add("x-b3-traceid", "a3ce929d0e0e4736");
  c.add("x-b3-spanid", kSpan);
  EXPECT_EQ(extract(c).span_context.trace_id().to_hex(), "0000000000000000a3ce929d0e0e4736");
}

TEST(B3PropagatorTest, MultiMissingOrBadIdsAreRejected) {
  {
    const auto before = count(PropagationFormat::kB3Multi, RejectReason::kMalformed);
    MemoryCarrier c;
    c.add("x-b3-traceid", kTrace);
    EXPECT_FALSE(extract(c).span_context.is_valid());
    EXPECT_EQ(count(PropagationFormat::kB3Multi, RejectReason::kMalformed), before + 1);
  }
  {
    const auto before = count(PropagationFormat::kB3Multi, RejectReason::kMalformed);
    MemoryCarrier c;
    c.add("x-b3-traceid", "4bf92f3577b34da6a3ce929d0e0e473");  // 31 digits
    c.add("x-b3-spanid", kSpan);
    EXPECT_FALSE(extract(c).span_context.is_valid());
    EXPECT_EQ(count(PropagationFormat::kB3Multi, RejectReason::kMalformed), before + 1);
  }
  {
    const auto before = count(PropagationFormat::kB3Multi, RejectReason::kOversized);
    MemoryCarrier c;
    c.add("x-b3-traceid", std::string(1 << 20, 'f'));
    c.add("x-b3-spanid", kSpan);
    EXPECT_FALSE(extract(c).span_context.is_valid());
    EXPECT_EQ(count(PropagationFormat::kB3Multi, RejectReason::kOversized), before + 1);
  }
  {
    const auto before = count(PropagationFormat::kB3Multi, RejectReason::kInvalidId);
    MemoryCarrier c;
    c.add("x-b3-traceid", kTrace);
    c.add("x-b3-spanid", "0000000000000000");
    EXPECT_FALSE(extract(c).span_context.is_valid());
    EXPECT_EQ(count(PropagationFormat::kB3Multi, RejectReason::kInvalidId), before + 1);
  }
}

TEST(B3PropagatorTest, NothingPresentLeavesContextAndCountsNothing) {
  const auto before = propagation_stats().total();
  Context ctx;
  ctx.span_context = sample_context(true);
  MemoryCarrier c;
  c.add("other", "x");
  B3Propagator().extract(c, ctx);
  EXPECT_EQ(ctx.span_context, sample_context(true));
  EXPECT_EQ(propagation_stats().total(), before);
}

TEST(B3PropagatorTest, InvalidHeaderLeavesExistingContext) {
  Context ctx;
  ctx.span_context = sample_context(true);
  MemoryCarrier c;
  c.add("b3", "nonsense");
  B3Propagator().extract(c, ctx);
  EXPECT_EQ(ctx.span_context, sample_context(true));
}

TEST(B3PropagatorTest, InjectSingleHeader) {
  MemoryCarrier c;
  Context ctx;
  ctx.span_context = sample_context(true);
  B3Propagator().inject(ctx, c);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c.at(0).first, "b3");
  EXPECT_EQ(c.at(0).second, std::string(kTrace) + "-" + kSpan + "-1");
  ctx.span_context = sample_context(false);
  B3Propagator().inject(ctx, c);
  EXPECT_EQ(c.get("b3"), std::string(kTrace) + "-" + kSpan + "-0");
}

TEST(B3PropagatorTest, InjectMultiHeaderLowercaseWithoutParent) {
  MemoryCarrier c;
  Context ctx;
  ctx.span_context = sample_context(true);
  B3Propagator(B3Propagator::InjectMode::kMultiHeader).inject(ctx, c);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c.at(0).first, "x-b3-traceid");
  EXPECT_EQ(c.at(0).second, kTrace);
  EXPECT_EQ(c.at(1).first, "x-b3-spanid");
  EXPECT_EQ(c.at(1).second, kSpan);
  EXPECT_EQ(c.at(2).first, "x-b3-sampled");
  EXPECT_EQ(c.at(2).second, "1");
  EXPECT_FALSE(c.get("x-b3-parentspanid"));
}

TEST(B3PropagatorTest, InjectNothingForInvalidContext) {
  MemoryCarrier c;
  B3Propagator().inject(Context{}, c);
  B3Propagator(B3Propagator::InjectMode::kMultiHeader).inject(Context{}, c);
  EXPECT_EQ(c.size(), 0u);
}

TEST(B3PropagatorTest, RoundTripBothModes) {
  for (auto mode :
       {B3Propagator::InjectMode::kSingleHeader, B3Propagator::InjectMode::kMultiHeader}) {
    for (bool sampled : {true, false}) {
      MemoryCarrier c;
      Context in;
      in.span_context = sample_context(sampled);
      B3Propagator p(mode);
      p.inject(in, c);
      Context out;
      p.extract(c, out);
      EXPECT_EQ(out.span_context.trace_id(), in.span_context.trace_id());
      EXPECT_EQ(out.span_context.span_id(), in.span_context.span_id());
      EXPECT_EQ(out.span_context.is_sampled(), sampled);
    }
  }
}

TEST(B3PropagatorTest, NamesAndFields) {
  EXPECT_EQ(B3Propagator().name(), "b3");
  EXPECT_EQ(B3Propagator(B3Propagator::InjectMode::kMultiHeader).name(), "b3multi");
  FieldSet f;
  B3Propagator().fields(f);
  for (const char* k :
       {"b3", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags"}) {
    EXPECT_TRUE(f.matches(k)) << k;
  }
}

}  // namespace
}  // namespace hoptrace
