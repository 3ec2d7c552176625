#pragma once

// Field-by-field comparison of decoded OTLP requests (protoc's text output, or the JSON body
// parsed with nlohmann-json) against the SpanData that was exported.

#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "hoptrace/core/sdk/span_data.h"
#include "protoc_decoder.h"
#include "span_fixtures.h"

namespace hoptrace::otlp::testing {

inline const char* kind_name(SpanKind kind) {
  switch (kind) {
    case SpanKind::kInternal:
      return "SPAN_KIND_INTERNAL";
    case SpanKind::kServer:
      return "SPAN_KIND_SERVER";
    case SpanKind::kClient:
      return "SPAN_KIND_CLIENT";
    case SpanKind::kProducer:
      return "SPAN_KIND_PRODUCER";
    case SpanKind::kConsumer:
      return "SPAN_KIND_CONSUMER";
  }
  return "?";
}

inline std::uint32_t expected_flags(TraceFlags f, bool remote) {
  return static_cast<std::uint32_t>(f.bits() & 0x03) | 0x100u | (remote ? 0x200u : 0u);
}

inline std::string nanos(Timestamp t) { return std::to_string(t.time_since_epoch().count()); }

// --- protobuf, as decoded by `protoc --decode` ---

inline void expect_proto_value(const TextNode& value, const AttributeValue& v) {
  switch (v.type()) {
    case AttributeValue::Type::kString:
      EXPECT_EQ(value.value("string_value", "<absent>"), std::string(v.as_string()));
      break;
    case AttributeValue::Type::kBool:
      EXPECT_EQ(value.value("bool_value"), v.as_bool() ? "true" : "false");
      break;
    case AttributeValue::Type::kInt:
      EXPECT_EQ(value.value("int_value"), std::to_string(v.as_int()));
      break;
    case AttributeValue::Type::kDouble:
      EXPECT_DOUBLE_EQ(std::stod(value.value("double_value", "nan")), v.as_double());
      break;
  }
}

inline void expect_proto_attributes(const std::vector<const TextNode*>& kvs,
                                    const sdk::AttributeStore& store, std::size_t first,
                                    std::size_t count) {
  ASSERT_EQ(kvs.size(), count);
  for (std::size_t i = 0; i < count; ++i) {
    const Attribute a = store.at(first + i);
    SCOPED_TRACE(std::string(a.key));
    EXPECT_EQ(kvs[i]->value("key"), std::string(a.key));
    expect_proto_value(kvs[i]->one("value"), a.value);
  }
}

inline void expect_proto_span(const TextNode& p, const sdk::SpanData& s) {
  SCOPED_TRACE(s.name);
  EXPECT_EQ(p.value("trace_id"), bytes_of(s.context.trace_id()));
  EXPECT_EQ(p.value("span_id"), bytes_of(s.context.span_id()));
  EXPECT_EQ(p.value("trace_state"), std::string(s.context.trace_state().header()));
  EXPECT_EQ(p.value("parent_span_id"),
            s.parent_span_id.is_valid() ? bytes_of(s.parent_span_id) : std::string());
  EXPECT_EQ(p.value("flags"),
            std::to_string(expected_flags(s.context.trace_flags(), s.parent_is_remote)));
  EXPECT_EQ(p.value("name"), s.name);
  EXPECT_EQ(p.value("kind"), kind_name(s.kind));
  EXPECT_EQ(p.value("start_time_unix_nano"), nanos(s.start_time));
  EXPECT_EQ(p.value("end_time_unix_nano"), nanos(s.end_time));
  expect_proto_attributes(p.all("attributes"), s.attributes, 0, s.attributes.size());
  EXPECT_EQ(p.value("dropped_attributes_count", "0"), std::to_string(s.attributes.dropped()));
  const auto events = p.all("events");
  ASSERT_EQ(events.size(), s.events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const sdk::EventData& e = s.events[i];
    EXPECT_EQ(events[i]->value("name"), e.name);
    EXPECT_EQ(events[i]->value("time_unix_nano"), nanos(e.time));
    expect_proto_attributes(events[i]->all("attributes"), s.extra_attributes, e.first_attribute,
                            e.attribute_count);
    EXPECT_EQ(events[i]->value("dropped_attributes_count", "0"),
              std::to_string(e.dropped_attributes));
  }
  EXPECT_EQ(p.value("dropped_events_count", "0"), std::to_string(s.dropped_events));
  const auto links = p.all("links");
  ASSERT_EQ(links.size(), s.links.size());
  for (std::size_t i = 0; i < links.size(); ++i) {
    const sdk::LinkData& l = s.links[i];
    EXPECT_EQ(links[i]->value("trace_id"), bytes_of(l.context.trace_id()));
    EXPECT_EQ(links[i]->value("span_id"), bytes_of(l.context.span_id()));
    EXPECT_EQ(links[i]->value("trace_state"), std::string(l.context.trace_state().header()));
    EXPECT_EQ(links[i]->value("flags"),
              std::to_string(expected_flags(l.context.trace_flags(), l.context.is_remote())));
    expect_proto_attributes(links[i]->all("attributes"), s.extra_attributes, l.first_attribute,
                            l.attribute_count);
  }
  EXPECT_EQ(p.value("dropped_links_count", "0"), std::to_string(s.dropped_links));
  if (s.status == StatusCode::kUnset && s.status_description.empty()) {
    EXPECT_FALSE(p.has("status"));
  } else {
    const TextNode& status = p.one("status");
    EXPECT_EQ(status.value("code", "STATUS_CODE_UNSET"),
              s.status == StatusCode::kError ? "STATUS_CODE_ERROR"
              : s.status == StatusCode::kOk  ? "STATUS_CODE_OK"
                                             : "STATUS_CODE_UNSET");
    EXPECT_EQ(status.value("message"), s.status_description);
  }
}

/// Checks a decoded ExportTraceServiceRequest holding `spans` of one resource and one scope.
inline void expect_proto_request(const TextNode& request, const SpanFixture& f) {
  const TextNode& rs = request.one("resource_spans");
  const auto resource_attributes = rs.one("resource").all("attributes");
  ASSERT_EQ(resource_attributes.size(), 2u);
  EXPECT_EQ(resource_attributes[0]->value("key"), "service.name");
  EXPECT_EQ(resource_attributes[0]->one("value").value("string_value"), "orders-service");
  EXPECT_EQ(resource_attributes[1]->value("key"), "service.instance.id");
  EXPECT_EQ(resource_attributes[1]->one("value").value("int_value"), "42");
  const TextNode& ss = rs.one("scope_spans");
  EXPECT_EQ(ss.one("scope").value("name"), f.scope.name);
  EXPECT_EQ(ss.one("scope").value("version"), f.scope.version);
  const auto spans = ss.all("spans");
  ASSERT_EQ(spans.size(), f.spans.size());
  for (std::size_t i = 0; i < spans.size(); ++i) expect_proto_span(*spans[i], *f.spans[i]);
}

// --- JSON, parsed with nlohmann-json ---

inline std::string hex(const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

inline void expect_json_value(const nlohmann::json& value, const AttributeValue& v) {
  switch (v.type()) {
    case AttributeValue::Type::kString:
      EXPECT_EQ(value.at("stringValue").get<std::string>(), std::string(v.as_string()));
      break;
    case AttributeValue::Type::kBool:
      EXPECT_EQ(value.at("boolValue").get<bool>(), v.as_bool());
      break;
    case AttributeValue::Type::kInt:
      // OTLP/JSON: 64-bit integers are decimal strings.
      EXPECT_EQ(value.at("intValue").get<std::string>(), std::to_string(v.as_int()));
      break;
    case AttributeValue::Type::kDouble:
      EXPECT_DOUBLE_EQ(value.at("doubleValue").get<double>(), v.as_double());
      break;
  }
}

inline void expect_json_attributes(const nlohmann::json& kvs, const sdk::AttributeStore& store,
                                   std::size_t first, std::size_t count) {
  ASSERT_EQ(kvs.size(), count);
  for (std::size_t i = 0; i < count; ++i) {
    const Attribute a = store.at(first + i);
    EXPECT_EQ(kvs[i].at("key").get<std::string>(), std::string(a.key));
    expect_json_value(kvs[i].at("value"), a.value);
  }
}

inline void expect_json_span(const nlohmann::json& j, const sdk::SpanData& s) {
  SCOPED_TRACE(s.name);
  EXPECT_EQ(j.at("traceId").get<std::string>(), hex(bytes_of(s.context.trace_id())));
  EXPECT_EQ(j.at("spanId").get<std::string>(), hex(bytes_of(s.context.span_id())));
  EXPECT_EQ(j.value("traceState", ""), std::string(s.context.trace_state().header()));
  EXPECT_EQ(j.value("parentSpanId", ""),
            s.parent_span_id.is_valid() ? hex(bytes_of(s.parent_span_id)) : std::string());
  EXPECT_EQ(j.at("flags").get<std::uint32_t>(),
            expected_flags(s.context.trace_flags(), s.parent_is_remote));
  EXPECT_EQ(j.at("name").get<std::string>(), s.name);
  EXPECT_EQ(j.at("kind").get<int>(), static_cast<int>(s.kind));  // enums as integers
  EXPECT_EQ(j.at("startTimeUnixNano").get<std::string>(), nanos(s.start_time));
  EXPECT_EQ(j.at("endTimeUnixNano").get<std::string>(), nanos(s.end_time));
  expect_json_attributes(j.value("attributes", nlohmann::json::array()), s.attributes, 0,
                         s.attributes.size());
  const auto events = j.value("events", nlohmann::json::array());
  ASSERT_EQ(events.size(), s.events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].at("name").get<std::string>(), s.events[i].name);
    EXPECT_EQ(events[i].at("timeUnixNano").get<std::string>(), nanos(s.events[i].time));
    expect_json_attributes(events[i].value("attributes", nlohmann::json::array()),
                           s.extra_attributes, s.events[i].first_attribute,
                           s.events[i].attribute_count);
  }
  EXPECT_EQ(j.value("droppedEventsCount", 0u), s.dropped_events);
  const auto links = j.value("links", nlohmann::json::array());
  ASSERT_EQ(links.size(), s.links.size());
  for (std::size_t i = 0; i < links.size(); ++i) {
    const sdk::LinkData& l = s.links[i];
    EXPECT_EQ(links[i].at("traceId").get<std::string>(), hex(bytes_of(l.context.trace_id())));
    EXPECT_EQ(links[i].at("spanId").get<std::string>(), hex(bytes_of(l.context.span_id())));
    EXPECT_EQ(links[i].value("traceState", ""), std::string(l.context.trace_state().header()));
    EXPECT_EQ(links[i].at("flags").get<std::uint32_t>(),
              expected_flags(l.context.trace_flags(), l.context.is_remote()));
    expect_json_attributes(links[i].value("attributes", nlohmann::json::array()),
                           s.extra_attributes, l.first_attribute, l.attribute_count);
  }
  EXPECT_EQ(j.value("droppedLinksCount", 0u), s.dropped_links);
  EXPECT_EQ(j.at("status").value("code", 0), static_cast<int>(s.status));
  EXPECT_EQ(j.at("status").value("message", ""), s.status_description);
}

inline void expect_json_request(const nlohmann::json& request, const SpanFixture& f) {
  ASSERT_EQ(request.at("resourceSpans").size(), 1u);
  const auto& rs = request["resourceSpans"][0];
  const auto& attrs = rs.at("resource").at("attributes");
  ASSERT_EQ(attrs.size(), 2u);
  EXPECT_EQ(attrs[0].at("key"), "service.name");
  EXPECT_EQ(attrs[0].at("value").at("stringValue"), "orders-service");
  EXPECT_EQ(attrs[1].at("value").at("intValue"), "42");
  ASSERT_EQ(rs.at("scopeSpans").size(), 1u);
  const auto& ss = rs["scopeSpans"][0];
  EXPECT_EQ(ss.at("scope").at("name"), f.scope.name);
  EXPECT_EQ(ss.at("scope").at("version"), f.scope.version);
  ASSERT_EQ(ss.at("spans").size(), f.spans.size());
  for (std::size_t i = 0; i < f.spans.size(); ++i) expect_json_span(ss["spans"][i], *f.spans[i]);
}

}  // namespace hoptrace::otlp::testing
