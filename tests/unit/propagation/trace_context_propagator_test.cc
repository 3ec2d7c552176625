#include <gtest/gtest.h>

#include <string>

#include "hoptrace/core/memory_carrier.h"
#include "hoptrace/core/propagation/stats.h"
#include "hoptrace/core/propagation/trace_context.h"

namespace hoptrace {
namespace {

constexpr const char* kTraceIdHex = "0af7651916cd43dd8448eb211c80319c";
constexpr const char* kSpanIdHex = "b7ad6b7169203331";
const std::string kValid = std::string("00-") + kTraceIdHex + "-" + kSpanIdHex + "-01";

std::uint64_t rejected(RejectReason reason) {
  return propagation_stats().count(PropagationFormat::kTraceContext, reason);
}

// Extracts from a carrier holding `fields` (HTTP field rules unless told otherwise).
Context extract(std::initializer_list<std::pair<const char*, std::string>> fields,
                RepeatedKeys rule = RepeatedKeys::kHttpFieldLines) {
  MemoryCarrier carrier(rule);
  for (const auto& f : fields) carrier.add(f.first, f.second);
  Context context;
  TraceContextPropagator().extract(carrier, context);
  return context;
}

bool valid_traceparent(const std::string& value) {
  return extract({{"traceparent", value}}).span_context.is_valid();
}

std::string with_version(const std::string& version, const std::string& rest = "-01") {
  return version + "-" + kTraceIdHex + "-" + kSpanIdHex + rest;
}

TEST(TraceContextPropagatorTest, NameAndFields) {
  TraceContextPropagator p;
  EXPECT_EQ(p.name(), "tracecontext");
  FieldSet fields;
  p.fields(fields);
  EXPECT_TRUE(fields.matches("traceparent"));
  EXPECT_TRUE(fields.matches("tracestate"));
  EXPECT_FALSE(fields.matches("baggage"));
}

TEST(TraceContextPropagatorTest, ExtractsAValidTraceparent) {
  const Context c = extract({{"traceparent", kValid}, {"tracestate", "foo=1"}});
  const SpanContext& sc = c.span_context;
  ASSERT_TRUE(sc.is_valid());
  EXPECT_EQ(sc.trace_id().to_hex(), kTraceIdHex);
  EXPECT_EQ(sc.span_id().to_hex(), kSpanIdHex);
  EXPECT_TRUE(sc.is_sampled());
  EXPECT_TRUE(sc.is_remote());
  EXPECT_EQ(sc.trace_state().header(), "foo=1");
}

TEST(TraceContextPropagatorTest, HeaderNameIsCaseInsensitive) {
  // W3C test_traceparent_header_name_valid_casing.
  for (const char* name : {"TraceParent", "TrAcEpArEnT", "TRACEPARENT"}) {
    EXPECT_TRUE(extract({{name, kValid}}).span_context.is_valid()) << name;
  }
  // test_traceparent_header_name: these are different headers.
  for (const char* name : {"trace-parent", "trace.parent"}) {
    EXPECT_FALSE(extract({{name, kValid}}).span_context.is_valid()) << name;
  }
}

TEST(TraceContextPropagatorTest, MissingTraceparentLeavesContextUntouched) {
  MemoryCarrier carrier;
  carrier.add("tracestate", "foo=1");
  Context context;
  const SpanContext before(TraceId::from_u64(1, 2), SpanId::from_u64(3), TraceFlags(1), false);
  context.span_context = before;
  TraceContextPropagator().extract(carrier, context);
  EXPECT_EQ(context.span_context, before);
}

TEST(TraceContextPropagatorTest, InvalidTraceparentLeavesContextUntouched) {
  MemoryCarrier carrier;
  carrier.add("traceparent", "00-garbage");
  Context context;
  const SpanContext before(TraceId::from_u64(1, 2), SpanId::from_u64(3), TraceFlags(1), false);
  context.span_context = before;
  TraceContextPropagator().extract(carrier, context);
  EXPECT_EQ(context.span_context, before);
}

TEST(TraceContextPropagatorTest, Version00WithTrailingDataIsInvalid) {
  // W3C test_traceparent_version_0x00.
  EXPECT_FALSE(valid_traceparent(kValid + "."));
  EXPECT_FALSE(valid_traceparent(kValid + "-what-the-future-will-be-like"));
}

TEST(TraceContextPropagatorTest, HigherVersionsReadTheKnownFields) {
  // W3C test_traceparent_version_0xcc.
  EXPECT_TRUE(valid_traceparent(with_version("cc")));
  EXPECT_TRUE(valid_traceparent(with_version("cc", "-01-what-the-future-will-be-like")));
  EXPECT_FALSE(valid_traceparent(with_version("cc", "-01.what-the-future-will-be-like")));
  EXPECT_FALSE(valid_traceparent(with_version("cc", "-0")));  // shorter than 55
  const Context c = extract({{"traceparent", with_version("01", "-03-xyz")}});
  EXPECT_EQ(c.span_context.trace_flags().bits(), 0x03);
}

TEST(TraceContextPropagatorTest, VersionFfIsUnsupported) {
  const auto before = rejected(RejectReason::kUnsupportedVersion);
  EXPECT_FALSE(valid_traceparent(with_version("ff")));
  EXPECT_EQ(rejected(RejectReason::kUnsupportedVersion), before + 1);
}

TEST(TraceContextPropagatorTest, MalformedVersions) {
  // W3C test_traceparent_version_illegal_characters / too_long / too_short.
  for (const char* version : {".0", "0.", "000", "0000", "0", "0A", "A0", "xx"}) {
    EXPECT_FALSE(valid_traceparent(with_version(version))) << version;
  }
}

TEST(TraceContextPropagatorTest, MalformedTraceIds) {
  const std::string rest = std::string("-") + kSpanIdHex + "-01";
  for (const char* tid : {"00000000000000000000000000000000", ".7651916cd43dd8448eb211c80319c",
                          "0af7651916cd43dd8448eb211c80319.", "0af7651916cd43dd8448eb211c80319cd",
                          "0af7651916cd43dd8448eb211c80319", "0AF7651916CD43DD8448EB211C80319C",
                          "0af7651916cd43dd8448eb211c8031xc"}) {
    EXPECT_FALSE(valid_traceparent(std::string("00-") + tid + rest)) << tid;
  }
}

TEST(TraceContextPropagatorTest, MalformedParentIds) {
  const std::string prefix = std::string("00-") + kTraceIdHex + "-";
  for (const char* sid : {"0000000000000000", ".7ad6b7169203331", "b7ad6b716920333.",
                          "b7ad6b71692033311", "b7ad6b716920333", "B7AD6B7169203331"}) {
    EXPECT_FALSE(valid_traceparent(prefix + sid + "-01")) << sid;
  }
}

TEST(TraceContextPropagatorTest, MalformedFlags) {
  const std::string prefix = std::string("00-") + kTraceIdHex + "-" + kSpanIdHex + "-";
  for (const char* flags : {".0", "0.", "001", "1", "0A", "xy", ""}) {
    EXPECT_FALSE(valid_traceparent(prefix + flags)) << flags;
  }
}

TEST(TraceContextPropagatorTest, WrongSeparatorsAreInvalid) {
  std::string v = kValid;
  v[2] = '_';
  EXPECT_FALSE(valid_traceparent(v));
  v = kValid;
  v[35] = '.';
  EXPECT_FALSE(valid_traceparent(v));
  v = kValid;
  v[52] = ' ';
  EXPECT_FALSE(valid_traceparent(v));
}

TEST(TraceContextPropagatorTest, AllZeroIdsCountAsInvalidId) {
  const auto before = rejected(RejectReason::kInvalidId);
  EXPECT_FALSE(
      valid_traceparent(std::string("00-00000000000000000000000000000000-") + kSpanIdHex + "-01"));
  EXPECT_FALSE(valid_traceparent(std::string("00-") + kTraceIdHex + "-0000000000000000-01"));
  EXPECT_EQ(rejected(RejectReason::kInvalidId), before + 2);
}

TEST(TraceContextPropagatorTest, SurroundingWhitespaceIsTolerated) {
  // W3C test_traceparent_ows_handling.
  for (const std::string& v :
       {" " + kValid, "\t" + kValid, kValid + " ", kValid + "\t", "\t " + kValid + " \t"}) {
    EXPECT_TRUE(valid_traceparent(v)) << v;
  }
  EXPECT_FALSE(valid_traceparent("\n" + kValid));
}

TEST(TraceContextPropagatorTest, KeepsAllFlagBitsInMemoryAndRandomBit) {
  // W3C test_propagates_random_flag; unknown bits are kept until re-injection.
  const std::string prefix = std::string("00-") + kTraceIdHex + "-" + kSpanIdHex + "-";
  EXPECT_EQ(extract({{"traceparent", prefix + "02"}}).span_context.trace_flags().bits(), 0x02);
  EXPECT_TRUE(
      extract({{"traceparent", prefix + "02"}}).span_context.trace_flags().random_trace_id());
  EXPECT_EQ(extract({{"traceparent", prefix + "ff"}}).span_context.trace_flags().bits(), 0xff);
  EXPECT_FALSE(extract({{"traceparent", prefix + "00"}}).span_context.is_sampled());
}

TEST(TraceContextPropagatorTest, DuplicateTraceparentIsInvalidForHttpCarriers) {
  // W3C test_traceparent_duplicated.
  const auto before = rejected(RejectReason::kDuplicate);
  const Context c = extract({{"traceparent", kValid}, {"traceparent", kValid}});
  EXPECT_FALSE(c.span_context.is_valid());
  EXPECT_EQ(rejected(RejectReason::kDuplicate), before + 1);
}

TEST(TraceContextPropagatorTest, BrokerCarriersUseTheLastTraceparent) {
  const std::string other = std::string("00-") + kTraceIdHex + "-00f067aa0ba902b7-00";
  const Context c = extract({{"traceparent", kValid},
                             {"tracestate", "first=1"},
                             {"traceparent", other},
                             {"tracestate", "last=2"}},
                            RepeatedKeys::kLastWins);
  ASSERT_TRUE(c.span_context.is_valid());
  EXPECT_EQ(c.span_context.span_id().to_hex(), "00f067aa0ba902b7");
  EXPECT_EQ(c.span_context.trace_state().header(), "last=2");
}

TEST(TraceContextPropagatorTest, MultipleTracestateLinesAreJoinedInOrder) {
  // W3C test_tracestate_multiple_headers_different_keys.
  const Context c = extract({{"traceparent", kValid},
                             {"tracestate", "foo=1,bar=2"},
                             {"tracestate", "rojo=1,congo=2"},
                             {"tracestate", "baz=3"}});
  EXPECT_EQ(c.span_context.trace_state().header(), "foo=1,bar=2,rojo=1,congo=2,baz=3");
}

TEST(TraceContextPropagatorTest, EmptyTracestateLinesAreAccepted) {
  // W3C test_tracestate_empty_header.
  EXPECT_EQ(extract({{"traceparent", kValid}, {"tracestate", "foo=1"}, {"tracestate", ""}})
                .span_context.trace_state()
                .header(),
            "foo=1");
  EXPECT_EQ(extract({{"traceparent", kValid}, {"tracestate", ""}, {"tracestate", "foo=1"}})
                .span_context.trace_state()
                .header(),
            "foo=1");
}

TEST(TraceContextPropagatorTest, MemberLimitAppliesToJoinedLines) {
  // W3C test_tracestate_member_count_limit, split across two header lines.
  std::string first, second;
  for (int i = 1; i <= 16; ++i) first += (i > 1 ? "," : "") + ("a" + std::to_string(i) + "=1");
  for (int i = 1; i <= 16; ++i) second += (i > 1 ? "," : "") + ("b" + std::to_string(i) + "=1");
  EXPECT_EQ(extract({{"traceparent", kValid}, {"tracestate", first}, {"tracestate", second}})
                .span_context.trace_state()
                .size(),
            32u);
  const auto before = rejected(RejectReason::kInvalidTraceState);
  const Context c =
      extract({{"traceparent", kValid}, {"tracestate", first}, {"tracestate", second + ",c=1"}});
  EXPECT_TRUE(c.span_context.is_valid());
  EXPECT_TRUE(c.span_context.trace_state().empty());
  EXPECT_EQ(rejected(RejectReason::kInvalidTraceState), before + 1);
}

TEST(TraceContextPropagatorTest, InvalidTracestateKeepsTraceparent) {
  const auto before = rejected(RejectReason::kInvalidTraceState);
  const Context c = extract({{"traceparent", kValid}, {"tracestate", "@foo=1,bar=2"}});
  EXPECT_TRUE(c.span_context.is_valid());
  EXPECT_TRUE(c.span_context.trace_state().empty());
  EXPECT_EQ(rejected(RejectReason::kInvalidTraceState), before + 1);
}

TEST(TraceContextPropagatorTest, InvalidTraceparentMeansTracestateIsNotParsed) {
  const auto before = rejected(RejectReason::kInvalidTraceState);
  const auto malformed = rejected(RejectReason::kMalformed);
  const Context c = extract({{"traceparent", kValid + "."}, {"tracestate", "@bad"}});
  EXPECT_FALSE(c.span_context.is_valid());
  EXPECT_EQ(rejected(RejectReason::kInvalidTraceState), before);
  EXPECT_EQ(rejected(RejectReason::kMalformed), malformed + 1);
}

TEST(TraceContextPropagatorTest, HugeHeadersAreRejectedAsOversized) {
  const auto before = rejected(RejectReason::kOversized);
  const std::string huge(10 * 1024 * 1024, 'a');
  const Context c = extract({{"traceparent", kValid}, {"tracestate", huge}});
  EXPECT_TRUE(c.span_context.is_valid());
  EXPECT_TRUE(c.span_context.trace_state().empty());
  EXPECT_FALSE(extract({{"traceparent", kValid + std::string(10 * 1024 * 1024, ' ')}})
                   .span_context.is_valid());
  // Two lines that are each small enough but too long together.
  const std::string half(TraceState::kMaxHeaderLength / 2 + 1, 'a');
  EXPECT_TRUE(extract({{"traceparent", kValid}, {"tracestate", half}, {"tracestate", half}})
                  .span_context.trace_state()
                  .empty());
  EXPECT_EQ(rejected(RejectReason::kOversized), before + 3);
}

TEST(TraceContextPropagatorTest, BinaryHeadersAreRejected) {
  std::string binary = kValid;
  binary[10] = '\0';
  EXPECT_FALSE(valid_traceparent(binary));
  binary = kValid;
  binary[40] = '\xff';
  EXPECT_FALSE(valid_traceparent(binary));
  const Context c =
      extract({{"traceparent", kValid}, {"tracestate", std::string("foo=\0\xff", 6)}});
  EXPECT_TRUE(c.span_context.is_valid());
  EXPECT_TRUE(c.span_context.trace_state().empty());
}

TEST(TraceContextPropagatorTest, InjectWritesVersion00WithWireFlags) {
  const SpanContext sc(*TraceId::from_hex(kTraceIdHex), *SpanId::from_hex(kSpanIdHex),
                       TraceFlags(0xff), true, TraceState::parse("foo=1,bar=2"));
  Context context;
  context.span_context = sc;
  MemoryCarrier carrier;
  TraceContextPropagator().inject(context, carrier);
  EXPECT_EQ(carrier.get("traceparent"),
            std::string("00-") + kTraceIdHex + "-" + kSpanIdHex + "-03");
  EXPECT_EQ(carrier.get("tracestate"), "foo=1,bar=2");
}

TEST(TraceContextPropagatorTest, InjectWithoutTracestateRemovesAStaleOne) {
  MemoryCarrier carrier;
  carrier.add("tracestate", "stale=1");
  Context context;
  context.span_context = SpanContext(*TraceId::from_hex(kTraceIdHex), *SpanId::from_hex(kSpanIdHex),
                                     TraceFlags(1), false);
  TraceContextPropagator().inject(context, carrier);
  EXPECT_EQ(carrier.get("traceparent"), kValid);
  EXPECT_FALSE(carrier.get("tracestate").has_value());
}

TEST(TraceContextPropagatorTest, InjectOfInvalidContextWritesNothing) {
  MemoryCarrier carrier;
  TraceContextPropagator().inject(Context{}, carrier);
  EXPECT_EQ(carrier.size(), 0u);
}

TEST(TraceContextPropagatorTest, HigherVersionIsReEmittedAs00) {
  const Context c = extract({{"traceparent", with_version("cc", "-05-extra")}});
  MemoryCarrier out;
  TraceContextPropagator().inject(c, out);
  EXPECT_EQ(out.get("traceparent"), std::string("00-") + kTraceIdHex + "-" + kSpanIdHex + "-01");
}

class RefusingCarrier final : public CarrierWriter {
 public:
  bool set(std::string_view, std::string_view) noexcept override { return false; }
  void remove(std::string_view) noexcept override {}
  void remove_fields(const FieldSet&) noexcept override {}
};

TEST(TraceContextPropagatorTest, RefusedFieldsAreCounted) {
  const auto before = rejected(RejectReason::kInjectFailed);
  Context context;
  context.span_context = SpanContext(TraceId::from_u64(1, 2), SpanId::from_u64(3), TraceFlags(1),
                                     false, TraceState::parse("a=1"));
  RefusingCarrier carrier;
  TraceContextPropagator().inject(context, carrier);
  EXPECT_EQ(rejected(RejectReason::kInjectFailed), before + 2);
}

TEST(TraceContextPropagatorTest, RoundTrip) {
  const Context in = extract({{"traceparent", kValid}, {"tracestate", "congo=t61rcWkgMzE"}});
  MemoryCarrier carrier(RepeatedKeys::kHttpFieldLines);
  TraceContextPropagator().inject(in, carrier);
  Context out;
  TraceContextPropagator().extract(carrier, out);
  EXPECT_EQ(out.span_context, in.span_context);
}

}  // namespace
}  // namespace hoptrace
