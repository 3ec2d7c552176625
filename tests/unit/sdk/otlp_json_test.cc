#include "hoptrace/core/sdk/otlp_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "hoptrace/core/sdk/resource.h"
#include "unit/sdk/test_spans.h"

namespace hoptrace::sdk {
namespace {

using nlohmann::json;
using testing::kNoLimit;
using testing::make_span;

json encode(std::initializer_list<const SpanData*> spans) {
  std::string out;
  encode_otlp_json(ArrayView<const SpanData*>(spans.begin(), spans.size()), out);
  return json::parse(out);  // throws (failing the test) on invalid JSON or invalid UTF-8
}

std::string encode_string(std::string_view s) {
  std::string out;
  append_json_string(s, out);
  return json::parse(out).get<std::string>();
}

const json& attribute(const json& list, std::string_view key) {
  for (const json& kv : list) {
    if (kv.at("key") == key) return kv.at("value");
  }
  static const json kMissing = "missing";
  ADD_FAILURE() << "no attribute " << key << " in " << list.dump();
  return kMissing;
}

class OtlpJsonTest : public ::testing::Test {
 protected:
  Resource resource_{{{"service.name", std::string("orders")},
                      {"host.cores", std::int64_t{8}},
                      {"debug", false},
                      {"load", 0.75}}};
  InstrumentationScope scope_{"hoptrace.kafka", "0.1.0"};
};

TEST_F(OtlpJsonTest, EncodesEveryFieldOfASpan) {
  auto span = make_span("orders publish", 7);
  const TraceId trace_id = TraceId::from_u64(0x4bf92f3577b34da6ull, 0xa3ce929d0e0e4736ull);
  span->context = SpanContext(trace_id, SpanId::from_u64(0x00f067aa0ba902b7ull),
                              TraceFlags(TraceFlags::kSampled), false,
                              TraceState::parse("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"));
  span->parent_span_id = SpanId::from_u64(0xabcdef0123456789ull);
  span->parent_is_remote = true;
  span->kind = SpanKind::kConsumer;
  span->status = StatusCode::kError;
  span->status_description = "broker unavailable";
  span->resource = &resource_;
  span->scope = &scope_;
  span->attributes.set("messaging.system", "kafka", 128, kNoLimit);
  span->attributes.set("messaging.batch.message_count", std::int64_t{3}, 128, kNoLimit);
  span->attributes.set("messaging.kafka.message.tombstone", true, 128, kNoLimit);
  span->attributes.set("ratio", 0.25, 128, kNoLimit);
  span->attributes.set("over", 1, 4, kNoLimit);  // 5th distinct key over a limit of 4: dropped

  std::uint32_t dropped = 0;
  const std::uint32_t first = span->extra_attributes.append(
      {{"exception.type", "Timeout"}, {"exception.message", "no ack"}}, 128, kNoLimit, &dropped);
  span->events.push_back(
      {"exception", Timestamp(std::chrono::nanoseconds(1700000000000000500ll)), first, 2, 1});
  span->events.push_back({"plain", Timestamp(std::chrono::nanoseconds(42)), 0, 0, 0});
  span->dropped_events = 3;

  const SpanContext remote_link(TraceId::from_u64(1, 2), SpanId::from_u64(3),
                                TraceFlags(TraceFlags::kSampled), true,
                                TraceState::parse("vendor=x"));
  const std::uint32_t link_first =
      span->extra_attributes.append({{"messaging.message.id", "m-1"}}, 128, kNoLimit, &dropped);
  span->links.push_back({remote_link, link_first, 1, 2});
  const SpanContext local_link(TraceId::from_u64(4, 5), SpanId::from_u64(6), TraceFlags(0), false);
  span->links.push_back({local_link, 0, 0, 0});
  span->dropped_links = 4;

  const json j = encode({span.get()});
  ASSERT_EQ(j.at("resourceSpans").size(), 1u);
  const json& rs = j["resourceSpans"][0];
  const json& rattrs = rs.at("resource").at("attributes");
  ASSERT_EQ(rattrs.size(), 4u);
  EXPECT_EQ(rattrs[0].at("key"), "service.name");
  EXPECT_EQ(attribute(rattrs, "service.name"), json({{"stringValue", "orders"}}));
  EXPECT_EQ(attribute(rattrs, "host.cores"), json({{"intValue", "8"}}));
  EXPECT_EQ(attribute(rattrs, "debug"), json({{"boolValue", false}}));
  EXPECT_EQ(attribute(rattrs, "load"), json({{"doubleValue", 0.75}}));

  ASSERT_EQ(rs.at("scopeSpans").size(), 1u);
  const json& ss = rs["scopeSpans"][0];
  EXPECT_EQ(ss.at("scope"), json({{"name", "hoptrace.kafka"}, {"version", "0.1.0"}}));
  ASSERT_EQ(ss.at("spans").size(), 1u);
  const json& s = ss["spans"][0];

  EXPECT_EQ(s.at("traceId"), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(s.at("spanId"), "00f067aa0ba902b7");
  EXPECT_EQ(s.at("parentSpanId"), "abcdef0123456789");
  EXPECT_EQ(s.at("traceState"), "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  EXPECT_EQ(s.at("flags"), 0x301);  // sampled | remoteness known | parent remote
  EXPECT_EQ(s.at("name"), "orders publish");
  EXPECT_EQ(s.at("kind"), 5);
  EXPECT_EQ(s.at("startTimeUnixNano"), "1700000000000000000");
  EXPECT_EQ(s.at("endTimeUnixNano"), "1700000000000001234");

  const json& attrs = s.at("attributes");
  ASSERT_EQ(attrs.size(), 4u);
  EXPECT_EQ(attrs[0].at("key"), "messaging.system");
  EXPECT_EQ(attribute(attrs, "messaging.system"), json({{"stringValue", "kafka"}}));
  EXPECT_EQ(attribute(attrs, "messaging.batch.message_count"), json({{"intValue", "3"}}));
  EXPECT_EQ(attribute(attrs, "messaging.kafka.message.tombstone"), json({{"boolValue", true}}));
  EXPECT_EQ(attribute(attrs, "ratio"), json({{"doubleValue", 0.25}}));
  EXPECT_EQ(s.at("droppedAttributesCount"), 1);

  ASSERT_EQ(s.at("events").size(), 2u);
  const json& e0 = s["events"][0];
  EXPECT_EQ(e0.at("name"), "exception");
  EXPECT_EQ(e0.at("timeUnixNano"), "1700000000000000500");
  ASSERT_EQ(e0.at("attributes").size(), 2u);
  EXPECT_EQ(attribute(e0["attributes"], "exception.type"), json({{"stringValue", "Timeout"}}));
  EXPECT_EQ(attribute(e0["attributes"], "exception.message"), json({{"stringValue", "no ack"}}));
  EXPECT_EQ(e0.at("droppedAttributesCount"), 1);
  const json& e1 = s["events"][1];
  EXPECT_EQ(e1.at("timeUnixNano"), "42");
  EXPECT_FALSE(e1.contains("attributes"));
  EXPECT_FALSE(e1.contains("droppedAttributesCount"));
  EXPECT_EQ(s.at("droppedEventsCount"), 3);

  ASSERT_EQ(s.at("links").size(), 2u);
  const json& l0 = s["links"][0];
  EXPECT_EQ(l0.at("traceId"), "00000000000000010000000000000002");
  EXPECT_EQ(l0.at("spanId"), "0000000000000003");
  EXPECT_EQ(l0.at("traceState"), "vendor=x");
  EXPECT_EQ(l0.at("flags"), 0x301);  // a link to an extracted context
  EXPECT_EQ(attribute(l0.at("attributes"), "messaging.message.id"), json({{"stringValue", "m-1"}}));
  EXPECT_EQ(l0.at("droppedAttributesCount"), 2);
  const json& l1 = s["links"][1];
  EXPECT_EQ(l1.at("flags"), 0x100);  // local, not sampled
  EXPECT_FALSE(l1.contains("traceState"));
  EXPECT_FALSE(l1.contains("attributes"));
  EXPECT_EQ(s.at("droppedLinksCount"), 4);

  EXPECT_EQ(s.at("status"), json({{"code", 2}, {"message", "broker unavailable"}}));
}

TEST_F(OtlpJsonTest, RootSpanOmitsParentAndDefaults) {
  auto span = make_span("root");
  span->kind = SpanKind::kInternal;
  span->context = SpanContext(TraceId::from_u64(9, 9), SpanId::from_u64(9),
                              TraceFlags(TraceFlags::kSampled | TraceFlags::kRandomTraceId), false);
  const json s = encode({span.get()})["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  EXPECT_FALSE(s.contains("parentSpanId"));
  EXPECT_FALSE(s.contains("traceState"));
  EXPECT_FALSE(s.contains("attributes"));
  EXPECT_FALSE(s.contains("events"));
  EXPECT_FALSE(s.contains("links"));
  EXPECT_FALSE(s.contains("droppedAttributesCount"));
  EXPECT_FALSE(s.contains("droppedEventsCount"));
  EXPECT_FALSE(s.contains("droppedLinksCount"));
  EXPECT_EQ(s.at("flags"), 0x103);  // local parent (none): known, not remote
  EXPECT_EQ(s.at("kind"), 1);
  EXPECT_EQ(s.at("status"), json({{"code", 0}}));
}

TEST_F(OtlpJsonTest, UndefinedTraceFlagBitsAreNotWritten) {
  auto span = make_span("s");
  span->context =
      SpanContext(TraceId::from_u64(1, 1), SpanId::from_u64(1), TraceFlags(0xF1), false);
  const json s = encode({span.get()})["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(s.at("flags"), 0x101);
}

TEST_F(OtlpJsonTest, GroupsByResourceThenScopeInFirstSeenOrder) {
  const Resource other({{"service.name", std::string("billing")}});
  InstrumentationScope scope_z{"z", ""};
  InstrumentationScope scope_y{"y", "2"};
  auto a = make_span("a");  // resource_, scope_
  a->resource = &resource_;
  a->scope = &scope_;
  auto b = make_span("b");  // other, y
  b->resource = &other;
  b->scope = &scope_y;
  auto c = make_span("c");  // resource_, z
  c->resource = &resource_;
  c->scope = &scope_z;
  auto d = make_span("d");  // resource_, scope_
  d->resource = &resource_;
  d->scope = &scope_;
  const json j = encode({a.get(), b.get(), c.get(), d.get()});
  const json& rs = j.at("resourceSpans");
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(attribute(rs[0]["resource"]["attributes"], "service.name")["stringValue"], "orders");
  EXPECT_EQ(attribute(rs[1]["resource"]["attributes"], "service.name")["stringValue"], "billing");
  ASSERT_EQ(rs[0]["scopeSpans"].size(), 2u);
  EXPECT_EQ(rs[0]["scopeSpans"][0]["scope"]["name"], "hoptrace.kafka");
  ASSERT_EQ(rs[0]["scopeSpans"][0]["spans"].size(), 2u);
  EXPECT_EQ(rs[0]["scopeSpans"][0]["spans"][0]["name"], "a");
  EXPECT_EQ(rs[0]["scopeSpans"][0]["spans"][1]["name"], "d");
  EXPECT_EQ(rs[0]["scopeSpans"][1]["scope"], json({{"name", "z"}}));
  EXPECT_EQ(rs[0]["scopeSpans"][1]["spans"][0]["name"], "c");
  ASSERT_EQ(rs[1]["scopeSpans"].size(), 1u);
  EXPECT_EQ(rs[1]["scopeSpans"][0]["scope"], json({{"name", "y"}, {"version", "2"}}));
  EXPECT_EQ(rs[1]["scopeSpans"][0]["spans"][0]["name"], "b");
}

TEST_F(OtlpJsonTest, MissingResourceAndScopeAndEmptyBatches) {
  auto span = make_span("bare");
  const json j = encode({span.get(), nullptr});
  EXPECT_EQ(j["resourceSpans"][0]["resource"], json::object());
  EXPECT_EQ(j["resourceSpans"][0]["scopeSpans"][0]["scope"], json::object());
  EXPECT_EQ(j["resourceSpans"][0]["scopeSpans"][0]["spans"].size(), 1u);
  EXPECT_EQ(encode({}), json({{"resourceSpans", json::array()}}));
}

TEST_F(OtlpJsonTest, AppendsWithoutTouchingWhatIsAlreadyThere) {
  auto span = make_span("x");
  const SpanData* spans[] = {span.get()};
  std::string out = "prefix";
  encode_otlp_json(ArrayView<const SpanData*>(spans), out);
  EXPECT_EQ(out.rfind("prefix{\"resourceSpans\":[", 0), 0u);
  EXPECT_TRUE(json::accept(out.substr(6)));
  EXPECT_EQ(out.find('\n'), std::string::npos);
}

TEST_F(OtlpJsonTest, IntegersAreDecimalStringsAtTheExtremes) {
  auto span = make_span("ints");
  span->attributes.set("min", std::numeric_limits<std::int64_t>::min(), 128, kNoLimit);
  span->attributes.set("max", std::numeric_limits<std::int64_t>::max(), 128, kNoLimit);
  span->attributes.set("zero", 0, 128, kNoLimit);
  span->start_time = Timestamp(std::chrono::nanoseconds(std::numeric_limits<std::int64_t>::max()));
  const json s = encode({span.get()})["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(attribute(s["attributes"], "min")["intValue"], "-9223372036854775808");
  EXPECT_EQ(attribute(s["attributes"], "max")["intValue"], "9223372036854775807");
  EXPECT_EQ(attribute(s["attributes"], "zero")["intValue"], "0");
  EXPECT_EQ(s["startTimeUnixNano"], "9223372036854775807");
}

TEST_F(OtlpJsonTest, DoublesRoundTripAndNonFiniteOnesAreStrings) {
  const double values[] = {0.1, 1e300, -2.5e-308, 123456789.123456789, 1.0 / 3.0, 5.0, -0.0};
  auto span = make_span("doubles");
  for (std::size_t i = 0; i < std::size(values); ++i) {
    span->attributes.set("d" + std::to_string(i), values[i], 128, kNoLimit);
  }
  span->attributes.set("nan", std::numeric_limits<double>::quiet_NaN(), 128, kNoLimit);
  span->attributes.set("inf", std::numeric_limits<double>::infinity(), 128, kNoLimit);
  span->attributes.set("ninf", -std::numeric_limits<double>::infinity(), 128, kNoLimit);
  const json s = encode({span.get()})["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  for (std::size_t i = 0; i < std::size(values); ++i) {
    const json& v = attribute(s["attributes"], "d" + std::to_string(i))["doubleValue"];
    ASSERT_TRUE(v.is_number()) << v.dump();
    EXPECT_EQ(v.get<double>(), values[i]) << "bit-exact round trip of " << v.dump();
  }
  EXPECT_EQ(attribute(s["attributes"], "nan")["doubleValue"], "NaN");
  EXPECT_EQ(attribute(s["attributes"], "inf")["doubleValue"], "Infinity");
  EXPECT_EQ(attribute(s["attributes"], "ninf")["doubleValue"], "-Infinity");
}

TEST(OtlpJsonStringTest, EscapesQuotesBackslashesAndControlCharacters) {
  const std::string nasty = std::string("q\" b\\ n\n r\r t\t bs\b ff\f c\x01 us\x1f nul") +
                            std::string(1, '\0') + " del\x7f /";
  EXPECT_EQ(encode_string(nasty), nasty);
  std::string raw;
  append_json_string(std::string_view("\x01\n", 2), raw);
  EXPECT_EQ(raw, "\"\\u0001\\n\"");
}

TEST(OtlpJsonStringTest, KeepsValidUtf8) {
  const std::string text =
      "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \xED\x9F\xBF";
  EXPECT_EQ(encode_string(text), text);
}

TEST(OtlpJsonStringTest, ReplacesEachInvalidUtf8ByteWithReplacementCharacter) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(encode_string("a\xFF"
                          "b"),
            "a" + r + "b");
  EXPECT_EQ(encode_string("\xC0\xAF"), r + r);                  // overlong '/'
  EXPECT_EQ(encode_string("\xE0\x80\xAF"), r + r + r);          // overlong 3-byte
  EXPECT_EQ(encode_string("\xED\xA0\x80"), r + r + r);          // UTF-16 surrogate
  EXPECT_EQ(encode_string("\xF4\x90\x80\x80"), r + r + r + r);  // above U+10FFFF
  EXPECT_EQ(encode_string("end\xE2\x82"), "end" + r + r);       // truncated
  EXPECT_EQ(encode_string("\x80x"), r + "x");                   // lone continuation
  EXPECT_EQ(encode_string("\xC3\xA9\xC3"), "\xC3\xA9" + r);     // valid then truncated
}

TEST(OtlpJsonStringTest, NastyStringsInEveryPositionStillGiveValidJson) {
  const std::string nasty = std::string("\"}]\\\n\xFF\xC3", 7) + std::string(1, '\0');
  Resource resource({{nasty, nasty}});
  InstrumentationScope scope{nasty, nasty};
  auto span = make_span(nasty);
  span->resource = &resource;
  span->scope = &scope;
  span->status_description = nasty;
  span->attributes.set(nasty, std::string_view(nasty), 128, kNoLimit);
  span->events.push_back({nasty, Timestamp{}, 0, 0, 0});
  std::string out;
  const SpanData* spans[] = {span.get()};
  encode_otlp_json(ArrayView<const SpanData*>(spans), out);
  const json j = json::parse(out);
  const json& s = j["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  const std::string expected =
      std::string("\"}]\\\n\xEF\xBF\xBD\xEF\xBF\xBD", 11) + std::string(1, '\0');
  EXPECT_EQ(s["name"], expected);
  EXPECT_EQ(s["status"]["message"], expected);
  EXPECT_EQ(s["attributes"][0]["key"], expected);
  EXPECT_EQ(s["attributes"][0]["value"]["stringValue"], expected);
  EXPECT_EQ(s["events"][0]["name"], expected);
  EXPECT_EQ(j["resourceSpans"][0]["scopeSpans"][0]["scope"]["name"], expected);
  EXPECT_EQ(j["resourceSpans"][0]["resource"]["attributes"][0]["key"], expected);
}

}  // namespace
}  // namespace hoptrace::sdk
