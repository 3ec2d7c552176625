#include <gtest/gtest.h>

#include <string>

#include "hoptrace/core/memory_carrier.h"
#include "hoptrace/core/propagation/jaeger.h"
#include "hoptrace/core/propagation/stats.h"

namespace hoptrace {
namespace {

constexpr char kTrace[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kSpan[] = "00f067aa0ba902b7";

std::uint64_t count(RejectReason r) {
  return propagation_stats().count(PropagationFormat::kJaeger, r);
}

Context extract_value(std::string_view value) {
  MemoryCarrier c;
  c.add("uber-trace-id", value);
  Context ctx;
  JaegerPropagator().extract(c, ctx);
  return ctx;
}

SpanContext sample_context(bool sampled) {
  return SpanContext(*TraceId::from_hex(kTrace), *SpanId::from_hex(kSpan),
                     TraceFlags(sampled ? TraceFlags::kSampled : 0), false);
}

TEST(JaegerPropagatorTest, ExtractsFullHeader) {
  const Context ctx = extract_value(std::string(kTrace) + ":" + kSpan + ":0:1");
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_EQ(ctx.span_context.trace_id().to_hex(), kTrace);
  EXPECT_EQ(ctx.span_context.span_id().to_hex(), kSpan);
  EXPECT_TRUE(ctx.span_context.is_sampled());
  EXPECT_TRUE(ctx.span_context.is_remote());
}

TEST(JaegerPropagatorTest, FlagBits) {
  for (const auto& [flags, sampled] : {std::pair<const char*, bool>{"0", false},
                                       {"1", true},
                                       {"01", true},
                                       {"00", false},
                                       {"3", true},
                                       {"2", true},
                                       {"8", false},
                                       {"9", true},
                                       {"0f", true},
                                       {"FF", true}}) {
    const Context ctx = extract_value(std::string(kTrace) + ":" + kSpan + ":0:" + flags);
    ASSERT_TRUE(ctx.span_context.is_valid()) << flags;
    EXPECT_EQ(ctx.span_context.is_sampled(), sampled) << flags;
  }
}

TEST(JaegerPropagatorTest, ShortIdsAreLeftPadded) {
  const Context ctx = extract_value("a3ce929d0e0e4736:f067aa0ba902b7:0:1");
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_EQ(ctx.span_context.trace_id().to_hex(), "0000000000000000a3ce929d0e0e4736");
  EXPECT_EQ(ctx.span_context.span_id().to_hex(), "00f067aa0ba902b7");
  const Context tiny = extract_value("1:2:0:1");
  ASSERT_TRUE(tiny.span_context.is_valid());
  EXPECT_EQ(tiny.span_context.trace_id().to_hex(), "00000000000000000000000000000001");
}

TEST(JaegerPropagatorTest, UrlEncodedValueIsDecodedFirst) {
  const Context ctx = extract_value(std::string(kTrace) + "%3A" + kSpan + "%3a0%3A1");
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_EQ(ctx.span_context.span_id().to_hex(), kSpan);
}

TEST(JaegerPropagatorTest, ParentIsIgnored) {
  const Context ctx = extract_value(std::string(kTrace) + ":" + kSpan + ":05e3ac9a4f6e3b90:1");
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_EQ(ctx.span_context.span_id().to_hex(), kSpan);
}

TEST(JaegerPropagatorTest, MalformedValuesAreRejectedAndCounted) {
  const std::string t(kTrace), s(kSpan);
  for (const std::string& v :
       {t, t + ":" + s, t + ":" + s + ":0", t + ":" + s + ":0:1:extra",
        t + ":" + s + ":0:", t + ":" + s + ":0:100", t + ":" + s + "::1", t + "0:" + s + ":0:1",
        t + ":" + s + "0:0:1", ":" + s + ":0:1", t + "::0:1", t + ":" + s + ":0:g",
        t + ":" + s + ":x:1", t + "%3" + s + ":0:1", t + ":" + s + ":0:1%", t + "%zz",
        std::string("\x00\xff\x80:\x01:0:1", 9), std::string()}) {
    const auto before = count(RejectReason::kMalformed);
    EXPECT_FALSE(extract_value(v).span_context.is_valid()) << v;
    EXPECT_EQ(count(RejectReason::kMalformed), before + 1) << v;
  }
}

TEST(JaegerPropagatorTest, ZeroIdsAreInvalid) {
  const auto before = count(RejectReason::kInvalidId);
  EXPECT_FALSE(extract_value("0:0:0:1").span_context.is_valid());
  EXPECT_FALSE(extract_value(std::string(kTrace) + ":0:0:1").span_context.is_valid());
  EXPECT_FALSE(extract_value(std::string("0:") + kSpan + ":0:1").span_context.is_valid());
  EXPECT_EQ(count(RejectReason::kInvalidId), before + 3);
}

TEST(JaegerPropagatorTest, HugeValueIsRejectedUnread) {
  const auto before = count(RejectReason::kOversized);
  EXPECT_FALSE(
      extract_value(std::string(kTrace) + ":" + kSpan + ":0:1" + std::string(10 << 20, ' ') + "x")
          .span_context.is_valid());
  EXPECT_EQ(count(RejectReason::kOversized), before + 1);
}

TEST(JaegerPropagatorTest, FirstOfRepeatedHeadersWins) {
  MemoryCarrier c;
  c.add("Uber-Trace-Id", std::string(kTrace) + ":" + kSpan + ":0:1");
  c.add("uber-trace-id", "1:2:0:0");
  Context ctx;
  JaegerPropagator().extract(c, ctx);
  EXPECT_EQ(ctx.span_context.trace_id().to_hex(), kTrace);
}

TEST(JaegerPropagatorTest, InvalidHeaderLeavesExistingContext) {
  Context ctx;
  ctx.span_context = sample_context(true);
  MemoryCarrier c;
  c.add("uber-trace-id", "junk");
  JaegerPropagator().extract(c, ctx);
  EXPECT_EQ(ctx.span_context, sample_context(true));
}

TEST(JaegerPropagatorTest, InjectsTraceHeader) {
  MemoryCarrier c;
  Context ctx;
  ctx.span_context = sample_context(true);
  JaegerPropagator().inject(ctx, c);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c.at(0).first, "uber-trace-id");
  EXPECT_EQ(c.at(0).second, std::string(kTrace) + ":" + kSpan + ":0:01");
  ctx.span_context = sample_context(false);
  JaegerPropagator().inject(ctx, c);
  EXPECT_EQ(c.get("uber-trace-id"), std::string(kTrace) + ":" + kSpan + ":0:00");
  EXPECT_EQ(c.size(), 1u);
}

TEST(JaegerPropagatorTest, InjectsNothingForEmptyContext) {
  MemoryCarrier c;
  JaegerPropagator().inject(Context{}, c);
  EXPECT_EQ(c.size(), 0u);
}

TEST(JaegerPropagatorTest, ExtractsBaggageDecodedAndMergesIt) {
  MemoryCarrier c;
  c.add("uberctx-user-id", "42");
  c.add("UberCtx-Tenant", "acme%20corp%2Fwest");
  c.add("other", "x");
  Context ctx;
  ctx.baggage = Baggage().with("existing", "kept").with("user-id", "old");
  JaegerPropagator().extract(c, ctx);
  EXPECT_EQ(ctx.baggage.get("existing"), "kept");
  EXPECT_EQ(ctx.baggage.get("user-id"), "42");
  EXPECT_EQ(ctx.baggage.get("Tenant"), "acme corp/west");
  EXPECT_FALSE(ctx.span_context.is_valid());
}

TEST(JaegerPropagatorTest, BadBaggageEntriesAreDroppedAndCounted) {
  const auto before = count(RejectReason::kDroppedMember);
  MemoryCarrier c;
  c.add("uberctx-", "empty key");
  c.add("uberctx-bad key", "space in key");
  c.add("uberctx-escape", "100%");
  c.add("uberctx-big", std::string(Baggage::kMaxMemberBytes + 1, 'v'));
  c.add("uberctx-good", "yes");
  Context ctx;
  JaegerPropagator().extract(c, ctx);
  EXPECT_EQ(ctx.baggage.size(), 1u);
  EXPECT_EQ(ctx.baggage.get("good"), "yes");
  EXPECT_EQ(count(RejectReason::kDroppedMember), before + 4);
}

TEST(JaegerPropagatorTest, BaggageFieldsAreCappedLikeAW3CHeader) {
  const auto before = count(RejectReason::kDroppedMember);
  MemoryCarrier c;
  for (int i = 0; i < 1000; ++i) c.add("uberctx-k" + std::to_string(i), "v");
  for (int i = 0; i < 1000; ++i) c.add("uberctx-same", "again");
  Context ctx;
  JaegerPropagator().extract(c, ctx);
  EXPECT_EQ(ctx.baggage.size(), Baggage::kMaxMembers);
  EXPECT_EQ(ctx.baggage.get("k0"), "v");
  EXPECT_FALSE(ctx.baggage.get("same"));
  EXPECT_EQ(count(RejectReason::kDroppedMember), before + 2000 - Baggage::kMaxMembers);

  MemoryCarrier big;  // 3 x 3000 bytes: the third would pass kMaxTotalBytes
  for (int i = 0; i < 3; ++i) big.add("uberctx-b" + std::to_string(i), std::string(3000, 'x'));
  Context ctx2;
  JaegerPropagator().extract(big, ctx2);
  EXPECT_EQ(ctx2.baggage.size(), 2u);
}

TEST(JaegerPropagatorTest, NoBaggageFieldsLeaveBaggageUntouched) {
  MemoryCarrier c;
  c.add("uber-trace-id", std::string(kTrace) + ":" + kSpan + ":0:1");
  Context ctx;
  ctx.baggage = Baggage().with("k", "v");
  JaegerPropagator().extract(c, ctx);
  EXPECT_EQ(ctx.baggage.size(), 1u);
}

TEST(JaegerPropagatorTest, InjectsBaggagePercentEncodingOnlyWhatNeedsIt) {
  MemoryCarrier c;
  Context ctx;
  ctx.baggage = Baggage().with("user-id", "42").with("note", "a b%c\xc3\xa9/=:?");
  JaegerPropagator().inject(ctx, c);
  EXPECT_EQ(c.get("uberctx-user-id"), "42");
  EXPECT_EQ(c.get("uberctx-note"), "a%20b%25c%C3%A9/=:?");
  EXPECT_FALSE(c.get("uber-trace-id")) << "no span context, no trace header";
}

TEST(JaegerPropagatorTest, RoundTrip) {
  MemoryCarrier c;
  Context in;
  in.span_context = sample_context(true);
  in.baggage = Baggage().with("k1", "v 1").with("k2", "%\x01\xff");
  JaegerPropagator().inject(in, c);
  Context out;
  JaegerPropagator().extract(c, out);
  EXPECT_EQ(out.span_context.trace_id(), in.span_context.trace_id());
  EXPECT_EQ(out.span_context.span_id(), in.span_context.span_id());
  EXPECT_TRUE(out.span_context.is_sampled());
  EXPECT_EQ(out.baggage.get("k1"), "v 1");
  EXPECT_EQ(out.baggage.get("k2"), "%\x01\xff");
}

TEST(JaegerPropagatorTest, NameAndFields) {
  EXPECT_EQ(JaegerPropagator().name(), "jaeger");
  FieldSet f;
  JaegerPropagator().fields(f);
  EXPECT_TRUE(f.matches("uber-trace-id"));
  EXPECT_TRUE(f.matches("uberctx-anything"));
  EXPECT_FALSE(f.matches("traceparent"));
}

}  // namespace
}  // namespace hoptrace
