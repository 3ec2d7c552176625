// The hand-written protobuf encoder, checked by an independent decoder: Debian's protoc, both
// schema-less (--decode_raw: field numbers and wire types) and against the OTLP schema.

#include <gtest/gtest.h>

#include <string>

#include "hoptrace/otlp/otlp_protobuf.h"
#include "otlp_checks.h"
#include "protoc_decoder.h"
#include "span_fixtures.h"

namespace hoptrace::otlp {
namespace {

using testing::SpanFixture;
using testing::TextNode;

constexpr const char* kRequestType =
    "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest";

TEST(OtlpProtobufEncoder, EveryFieldDecodesWithTheOtlpSchema) {
  HOPTRACE_REQUIRE_PROTOC();
  SpanFixture f;
  f.add_messaging_span(1);
  f.add_root_span(2);
  f.add_messaging_span(3);
  std::string body;
  encode_otlp_protobuf(f.pointers(), body);
  const auto decoded = testing::decode_otlp(
      body, "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
  ASSERT_TRUE(decoded) << "protoc could not decode the request";
  testing::expect_proto_request(*decoded, f);
}

TEST(OtlpProtobufEncoder, FieldNumbersAndWireTypesMatchOtlp) {
  HOPTRACE_REQUIRE_PROTOC();
  SpanFixture f;
  const sdk::SpanData& s = f.add_messaging_span(7);
  std::string body;
  encode_otlp_protobuf(f.pointers(), body);
  const auto raw = testing::decode_raw(body);
  ASSERT_TRUE(raw);
  // ExportTraceServiceRequest.resource_spans = 1 > ResourceSpans.scope_spans = 2 > spans = 2.
  const TextNode& resource_spans = raw->one("1");
  const TextNode& resource = resource_spans.one("1");
  EXPECT_EQ(resource.all("1").size(), 2u);  // Resource.attributes
  const TextNode& scope_spans = resource_spans.one("2");
  EXPECT_EQ(scope_spans.one("1").value("1"), "hoptrace.kafka");  // InstrumentationScope.name
  const TextNode& span = scope_spans.one("2");
  EXPECT_EQ(span.value("1"), testing::bytes_of(s.context.trace_id()));
  EXPECT_EQ(span.value("2"), testing::bytes_of(s.context.span_id()));
  EXPECT_EQ(span.value("3"), "congo=t61rcWkgMzE");
  EXPECT_EQ(span.value("5"), s.name);
  EXPECT_EQ(span.value("6"), "4");  // kind PRODUCER, varint
  // fixed64 and fixed32 fields are shown by --decode_raw in hex: this proves the wire types.
  char start[32];
  std::snprintf(start, sizeof(start), "0x%016llx",
                static_cast<unsigned long long>(s.start_time.time_since_epoch().count()));
  EXPECT_EQ(span.value("7"), start);
  EXPECT_EQ(span.value("16"), "0x00000301");           // sampled | remoteness known | parent remote
  EXPECT_EQ(span.all("9").size(), 9u);                 // attributes
  EXPECT_EQ(span.one("13").value("6"), "0x00000303");  // link flags: 0x03 | 0x100 | 0x200
  EXPECT_EQ(span.value("12"), "2");                    // dropped_events_count
  EXPECT_EQ(span.value("14"), "3");                    // dropped_links_count
  EXPECT_EQ(span.one("15").value("3"), "2");           // Status.code = ERROR
}

TEST(OtlpProtobufEncoder, GroupsByResourceThenScopeInFirstSeenOrder) {
  HOPTRACE_REQUIRE_PROTOC();
  SpanFixture f;
  sdk::Resource other(std::vector<sdk::ResourceAttribute>{{"service.name", std::string("b")}});
  sdk::InstrumentationScope scope2{"second", ""};
  f.add_root_span(1);                    // resource A, scope 1
  f.add_root_span(2).resource = &other;  // resource B, scope 1
  f.add_root_span(3).scope = &scope2;    // resource A, scope 2
  f.add_root_span(4);                    // resource A, scope 1
  std::string body;
  encode_otlp_protobuf(f.pointers(), body);
  const auto decoded = testing::decode_otlp(
      body, "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
  ASSERT_TRUE(decoded);
  const auto resources = decoded->all("resource_spans");
  ASSERT_EQ(resources.size(), 2u);
  const auto a_scopes = resources[0]->all("scope_spans");
  ASSERT_EQ(a_scopes.size(), 2u);
  EXPECT_EQ(a_scopes[0]->one("scope").value("name"), "hoptrace.kafka");
  ASSERT_EQ(a_scopes[0]->all("spans").size(), 2u);
  EXPECT_EQ(a_scopes[0]->all("spans")[0]->value("span_id"),
            testing::bytes_of(f.spans[0]->context.span_id()));
  EXPECT_EQ(a_scopes[0]->all("spans")[1]->value("span_id"),
            testing::bytes_of(f.spans[3]->context.span_id()));
  EXPECT_EQ(a_scopes[1]->one("scope").value("name"), "second");
  EXPECT_FALSE(a_scopes[1]->one("scope").has("version"));  // empty = omitted
  ASSERT_EQ(a_scopes[1]->all("spans").size(), 1u);
  const auto b_scopes = resources[1]->all("scope_spans");
  ASSERT_EQ(b_scopes.size(), 1u);
  EXPECT_EQ(resources[1]->one("resource").one("attributes").one("value").value("string_value"),
            "b");
  EXPECT_EQ(b_scopes[0]->one("spans").value("span_id"),
            testing::bytes_of(f.spans[1]->context.span_id()));
}

TEST(OtlpProtobufEncoder, LongMessagesGetMultiByteLengths) {
  HOPTRACE_REQUIRE_PROTOC();
  // A 70 KB attribute value makes the value, key-value, span, scope and resource lengths need
  // three-byte varints, exercising the back-patching shift at every nesting level.
  SpanFixture f;
  const std::string big(70000, 'x');
  for (std::uint8_t i = 0; i < 3; ++i) {
    f.add_messaging_span(i).attributes.set("big", std::string_view(big), testing::kNoLimit,
                                           testing::kNoLimit);
  }
  std::string body;
  encode_otlp_protobuf(f.pointers(), body);
  const auto decoded = testing::decode_otlp(
      body, "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
  ASSERT_TRUE(decoded);
  testing::expect_proto_request(*decoded, f);
}

TEST(OtlpProtobufEncoder, RootSpanOmitsDefaultsAndKeepsOneofDefaults) {
  HOPTRACE_REQUIRE_PROTOC();
  SpanFixture f;
  sdk::SpanData& s = f.add_root_span(9);
  s.attributes.set("empty", "", testing::kNoLimit, testing::kNoLimit);
  s.attributes.set("zero", std::int64_t{0}, testing::kNoLimit, testing::kNoLimit);
  s.attributes.set("no", false, testing::kNoLimit, testing::kNoLimit);
  std::string body;
  encode_otlp_protobuf(f.pointers(), body);
  const auto raw = testing::decode_raw(body);
  ASSERT_TRUE(raw);
  const TextNode& span = raw->one("1").one("2").one("2");
  EXPECT_FALSE(span.has("3"));   // no trace state
  EXPECT_FALSE(span.has("4"));   // no parent
  EXPECT_FALSE(span.has("15"));  // status unset
  EXPECT_EQ(span.value("16"), "0x00000100");
  const auto attributes = span.all("9");
  ASSERT_EQ(attributes.size(), 3u);
  // A oneof member is present even at its default: that is what gives the value its type.
  EXPECT_TRUE(attributes[0]->one("2").has("1"));
  EXPECT_EQ(attributes[1]->one("2").value("3", "<absent>"), "0");
  EXPECT_EQ(attributes[2]->one("2").value("2", "<absent>"), "0");
}

TEST(OtlpProtobufEncoder, StringsOfEveryShortLengthRoundTrip) {
  HOPTRACE_REQUIRE_PROTOC();
  // The sink copies short strings with fixed-size moves chosen by length: cover each branch
  // and its edges (0-3, 4-7, 8-15, 16-32, longer).
  SpanFixture f;
  sdk::SpanData& s = f.add_root_span(3);
  std::vector<std::string> values;
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string v;
    for (std::size_t i = 0; i < n; ++i) v.push_back(static_cast<char>('a' + (i * 7 + n) % 26));
    values.push_back(v);
  }
  for (std::size_t n = 0; n < values.size(); ++n) {
    s.attributes.set("k" + std::to_string(n), std::string_view(values[n]), testing::kNoLimit,
                     testing::kNoLimit);
  }
  std::string body;
  encode_otlp_protobuf(f.pointers(), body);
  const auto decoded = testing::decode_otlp(body, kRequestType);
  ASSERT_TRUE(decoded);
  testing::expect_proto_request(*decoded, f);
}

TEST(OtlpProtobufEncoder, AppendsWithoutTouchingTheBufferAndReusesScratch) {
  SpanFixture f;
  f.add_messaging_span(1);
  f.add_messaging_span(2);
  std::vector<const sdk::SpanData*> with_null = f.pointers();
  with_null.insert(with_null.begin() + 1, nullptr);

  ProtobufEncoder encoder;
  std::string first;
  encoder.encode(f.pointers(), first);
  std::string second = "prefix";
  encoder.encode(with_null, second);  // null pointers are skipped
  EXPECT_EQ(second, "prefix" + first);
  std::string empty;
  encoder.encode({}, empty);
  EXPECT_TRUE(empty.empty());
}

}  // namespace
}  // namespace hoptrace::otlp
