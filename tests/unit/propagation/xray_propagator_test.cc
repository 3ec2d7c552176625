#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "hoptrace/core/memory_carrier.h"
#include "hoptrace/core/propagation/stats.h"
#include "hoptrace/core/propagation/xray.h"
#include "support/scoped_env.h"

namespace hoptrace {
namespace {

constexpr char kRoot[] = "1-5759e988-bd862e3fe1be46a994272793";
constexpr char kTraceHex[] = "5759e988bd862e3fe1be46a994272793";
constexpr char kParent[] = "53995c3f42cd8ad8";

std::uint64_t count(RejectReason r) {
  return propagation_stats().count(PropagationFormat::kXRay, r);
}

std::string header(std::string_view sampled = "1", std::string_view extra = "") {
  return std::string("Root=") + kRoot + ";Parent=" + kParent + ";Sampled=" + std::string(sampled) +
         std::string(extra);
}

Context extract_value(std::string_view value) {
  MemoryCarrier c;
  c.add("X-Amzn-Trace-Id", value);
  Context ctx;
  XRayPropagator().extract(c, ctx);
  return ctx;
}

using testing::ScopedEnv;

TEST(XRayPropagatorTest, ExtractsTheAwsExample) {
  const Context ctx = extract_value(header());
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_EQ(ctx.span_context.trace_id().to_hex(), kTraceHex);
  EXPECT_EQ(ctx.span_context.span_id().to_hex(), kParent);
  EXPECT_TRUE(ctx.span_context.is_sampled());
  EXPECT_TRUE(ctx.span_context.is_remote());
  EXPECT_EQ(ctx.xray_passthrough, nullptr);
}

TEST(XRayPropagatorTest, PairOrderCaseAndWhitespaceDoNotMatter) {
  const Context ctx =
      extract_value(std::string(" sampled=0 ;\tparent = ") + kParent + " ; ROOT=" + kRoot + " ;;");
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_FALSE(ctx.span_context.is_sampled());
  EXPECT_EQ(ctx.span_context.span_id().to_hex(), kParent);
}

TEST(XRayPropagatorTest, MissingSampledMeansNotSampled) {
  const Context ctx = extract_value(std::string("Root=") + kRoot + ";Parent=" + kParent);
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_FALSE(ctx.span_context.is_sampled());
}

TEST(XRayPropagatorTest, ShortenedEpochIsLeftPadded) {
  const Context ctx =
      extract_value(std::string("Root=1-59e988-bd862e3fe1be46a994272793;Parent=") + kParent);
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_EQ(ctx.span_context.trace_id().to_hex(), "0059e988bd862e3fe1be46a994272793");
}

TEST(XRayPropagatorTest, SampledMustBeZeroOrOne) {
  for (const char* s : {"?", "2", "true", "", "01"}) {
    const auto before = count(RejectReason::kMalformed);
    EXPECT_FALSE(extract_value(header(s)).span_context.is_valid()) << s;
    EXPECT_EQ(count(RejectReason::kMalformed), before + 1) << s;
  }
}

TEST(XRayPropagatorTest, MalformedHeadersAreRejected) {
  const std::string p = std::string(";Parent=") + kParent;
  for (const std::string& v : {
           std::string("Root=") + kRoot,                                // no parent
           std::string("Parent=") + kParent,                            // no root
           "Root=2-5759e988-bd862e3fe1be46a994272793" + p,              // version
           "Root=1-5759e9880-bd862e3fe1be46a994272793" + p,             // epoch too long
           "Root=1--bd862e3fe1be46a994272793" + p,                      // epoch empty
           "Root=1-5759e988-bd862e3fe1be46a99427279" + p,               // random too short
           "Root=1-5759e988-bd862e3fe1be46a9942727933" + p,             // random too long
           "Root=1-5759e988bd862e3fe1be46a994272793" + p,               // no dash
           "Root=1-5759e98g-bd862e3fe1be46a994272793" + p,              // not hex
           std::string("Root=") + kRoot + ";Parent=53995c3f42cd8ad",    // short parent
           std::string("Root=") + kRoot + ";Parent=53995c3f42cd8ad8a",  // long parent
           std::string("Root=") + kRoot + ";Parent=53995c3f42cd8adz",   // not hex
           header("1", ";Lineage=a\x01"),                               // control byte
           header("1", ";Self=\xc3\xa9"),                               // non-ASCII
           std::string(),
           std::string("garbage"),
           std::string(";;;"),
           std::string("=;=;="),
       }) {
    const auto before = count(RejectReason::kMalformed);
    EXPECT_FALSE(extract_value(v).span_context.is_valid()) << v;
    EXPECT_EQ(count(RejectReason::kMalformed), before + 1) << v;
  }
}

TEST(XRayPropagatorTest, RepeatedKnownKeysAreDuplicates) {
  const auto before = count(RejectReason::kDuplicate);
  EXPECT_FALSE(extract_value(header("1", std::string(";Root=") + kRoot)).span_context.is_valid());
  EXPECT_FALSE(extract_value(header("1", ";Sampled=0")).span_context.is_valid());
  EXPECT_FALSE(
      extract_value(header("1", std::string(";parent=") + kParent)).span_context.is_valid());
  EXPECT_EQ(count(RejectReason::kDuplicate), before + 3);
}

TEST(XRayPropagatorTest, ZeroIdsAreInvalid) {
  const auto before = count(RejectReason::kInvalidId);
  EXPECT_FALSE(extract_value("Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8")
                   .span_context.is_valid());
  EXPECT_FALSE(extract_value(std::string("Root=") + kRoot + ";Parent=0000000000000000")
                   .span_context.is_valid());
  EXPECT_EQ(count(RejectReason::kInvalidId), before + 2);
}

TEST(XRayPropagatorTest, HugeHeaderIsRejectedUnread) {
  const auto before = count(RejectReason::kOversized);
  EXPECT_FALSE(
      extract_value(header("1", ";Lineage=" + std::string(10 << 20, 'a'))).span_context.is_valid());
  EXPECT_EQ(count(RejectReason::kOversized), before + 1);
}

TEST(XRayPropagatorTest, UnknownPairsPassThroughVerbatimInOrder) {
  const Context ctx =
      extract_value(std::string("Self=1-67891233-abcdef012345678912345678; Root=") + kRoot +
                    ";Parent=" + kParent + ";Sampled=1; Lineage=a87bd80c:1|68fd508a:5 ;flag");
  ASSERT_TRUE(ctx.span_context.is_valid());
  ASSERT_NE(ctx.xray_passthrough, nullptr);
  EXPECT_EQ(*ctx.xray_passthrough,
            "Self=1-67891233-abcdef012345678912345678;Lineage=a87bd80c:1|68fd508a:5");
}

TEST(XRayPropagatorTest, PassthroughIsCappedByWholePairs) {
  const auto before = count(RejectReason::kDroppedMember);
  const std::string big = "Big=" + std::string(XRayPropagator::kMaxPassthroughLength, 'x');
  const Context ctx = extract_value(header("1", ";A=1;" + big + ";B=2"));
  ASSERT_TRUE(ctx.span_context.is_valid());
  ASSERT_NE(ctx.xray_passthrough, nullptr);
  EXPECT_EQ(*ctx.xray_passthrough, "A=1;B=2");
  EXPECT_EQ(count(RejectReason::kDroppedMember), before + 1);
}

TEST(XRayPropagatorTest, ValidHeaderReplacesAndClearsPassthrough) {
  Context ctx = extract_value(header("1", ";Lineage=x"));
  ASSERT_NE(ctx.xray_passthrough, nullptr);
  MemoryCarrier c;
  c.add("x-amzn-trace-id", header("0"));
  XRayPropagator().extract(c, ctx);
  EXPECT_EQ(ctx.xray_passthrough, nullptr);
  EXPECT_FALSE(ctx.span_context.is_sampled());
}

TEST(XRayPropagatorTest, InvalidHeaderLeavesContextAlone) {
  Context ctx = extract_value(header("1", ";Lineage=x"));
  const Context before = ctx;
  MemoryCarrier c;
  c.add("x-amzn-trace-id", "Root=junk");
  XRayPropagator().extract(c, ctx);
  EXPECT_EQ(ctx.span_context, before.span_context);
  EXPECT_EQ(ctx.xray_passthrough, before.xray_passthrough);
}

TEST(XRayPropagatorTest, InjectsCanonicalHeader) {
  Context ctx;
  ctx.span_context = SpanContext(*TraceId::from_hex(kTraceHex), *SpanId::from_hex(kParent),
                                 TraceFlags(TraceFlags::kSampled), false);
  MemoryCarrier c;
  XRayPropagator().inject(ctx, c);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c.at(0).first, "x-amzn-trace-id");
  EXPECT_EQ(c.at(0).second, header("1"));
}

TEST(XRayPropagatorTest, InjectNothingForInvalidContext) {
  MemoryCarrier c;
  XRayPropagator().inject(Context{}, c);
  EXPECT_EQ(c.size(), 0u);
}

TEST(XRayPropagatorTest, DerivedContextReEmitsPassthrough) {
  const Context extracted = extract_value(header("1", ";Lineage=a87bd80c:1|68fd508a:5"));
  // A consumer continues the trace with its own span: new span id, same context otherwise.
  Context derived = extracted;
  derived.span_context = SpanContext(extracted.span_context.trace_id(), SpanId::from_u64(0x1234),
                                     extracted.span_context.trace_flags(), false);
  MemoryCarrier c;
  XRayPropagator().inject(derived, c);
  EXPECT_EQ(c.get("x-amzn-trace-id"), std::string("Root=") + kRoot +
                                          ";Parent=0000000000001234;Sampled=1;Lineage=a87bd80c:"
                                          "1|68fd508a:5");
}

TEST(XRayPropagatorTest, UnsafeHandSetPassthroughIsNotInjected) {
  Context ctx = extract_value(header());
  ctx.xray_passthrough = std::make_shared<const std::string>("A=\r\nInjected: yes");
  MemoryCarrier c;
  XRayPropagator().inject(ctx, c);
  EXPECT_EQ(c.get("x-amzn-trace-id"), header("1"));
}

TEST(XRayPropagatorTest, RoundTrip) {
  for (bool sampled : {true, false}) {
    Context in;
    in.span_context = SpanContext(TraceId::from_u64(0x0123456789abcdefULL, 0xfedcba9876543210ULL),
                                  SpanId::from_u64(42), TraceFlags(sampled ? 1 : 0), false);
    MemoryCarrier c;
    XRayPropagator().inject(in, c);
    Context out;
    XRayPropagator().extract(c, out);
    EXPECT_EQ(out.span_context.trace_id(), in.span_context.trace_id());
    EXPECT_EQ(out.span_context.span_id(), in.span_context.span_id());
    EXPECT_EQ(out.span_context.is_sampled(), sampled);
  }
}

TEST(XRayPropagatorTest, FirstOfRepeatedHeadersWins) {
  MemoryCarrier c;
  c.add("x-amzn-trace-id", header("1"));
  c.add("x-amzn-trace-id", header("0"));
  Context ctx;
  XRayPropagator().extract(c, ctx);
  EXPECT_TRUE(ctx.span_context.is_sampled());
}

TEST(XRayLambdaPropagatorTest, FallsBackToEnvironmentWhenCarrierHasNoContext) {
  const ScopedEnv env("_X_AMZN_TRACE_ID", header("1", ";Lineage=z").c_str());
  MemoryCarrier c;
  Context ctx;
  XRayLambdaPropagator().extract(c, ctx);
  ASSERT_TRUE(ctx.span_context.is_valid());
  EXPECT_EQ(ctx.span_context.trace_id().to_hex(), kTraceHex);
  ASSERT_NE(ctx.xray_passthrough, nullptr);
  EXPECT_EQ(*ctx.xray_passthrough, "Lineage=z");
}

TEST(XRayLambdaPropagatorTest, CarrierWinsOverEnvironment) {
  const ScopedEnv env("_X_AMZN_TRACE_ID", header("1").c_str());
  MemoryCarrier c;
  c.add("x-amzn-trace-id",
        "Root=1-11111111-111111111111111111111111;Parent=2222222222222222;Sampled=0");
  Context ctx;
  XRayLambdaPropagator().extract(c, ctx);
  EXPECT_EQ(ctx.span_context.trace_id().to_hex(), "11111111111111111111111111111111");
}

TEST(XRayLambdaPropagatorTest, EarlierValidContextWinsOverEnvironment) {
  const ScopedEnv env("_X_AMZN_TRACE_ID", header("1").c_str());
  Context ctx;
  ctx.span_context = SpanContext(TraceId::from_u64(1, 2), SpanId::from_u64(3), TraceFlags(), true);
  XRayLambdaPropagator().extract(MemoryCarrier(), ctx);
  EXPECT_EQ(ctx.span_context.trace_id(), TraceId::from_u64(1, 2));
}

TEST(XRayLambdaPropagatorTest, InvalidCarrierFallsBackToEnvironment) {
  const ScopedEnv env("_X_AMZN_TRACE_ID", header("1").c_str());
  MemoryCarrier c;
  c.add("x-amzn-trace-id", "Root=junk");
  Context ctx;
  XRayLambdaPropagator().extract(c, ctx);
  EXPECT_EQ(ctx.span_context.trace_id().to_hex(), kTraceHex);
}

TEST(XRayLambdaPropagatorTest, NoEnvironmentNoContext) {
  const ScopedEnv env("_X_AMZN_TRACE_ID", std::nullopt);
  Context ctx;
  XRayLambdaPropagator().extract(MemoryCarrier(), ctx);
  EXPECT_FALSE(ctx.span_context.is_valid());
}

TEST(XRayLambdaPropagatorTest, NamesAndFields) {
  EXPECT_EQ(XRayPropagator().name(), "xray");
  EXPECT_EQ(XRayLambdaPropagator().name(), "xray-lambda");
  FieldSet f;
  XRayLambdaPropagator().fields(f);
  EXPECT_TRUE(f.matches("X-Amzn-Trace-Id"));
  Context ctx;
  ctx.span_context = SpanContext(TraceId::from_u64(1, 2), SpanId::from_u64(3), TraceFlags(), false);
  MemoryCarrier c;
  XRayLambdaPropagator().inject(ctx, c);
  EXPECT_TRUE(c.get("x-amzn-trace-id").has_value());
}

}  // namespace
}  // namespace hoptrace
