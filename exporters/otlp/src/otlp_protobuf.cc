#include "hoptrace/otlp/otlp_protobuf.h"

#include <cstdint>
#include <variant>

#include "hoptrace/core/sdk/resource.h"
#include "protobuf_wire.h"

namespace hoptrace::otlp {
namespace {

// Field numbers from opentelemetry/proto (collector/trace/v1, trace/v1, common/v1, resource/v1).
namespace request {
constexpr std::uint32_t kResourceSpans = 1;
}
namespace resource_spans {
constexpr std::uint32_t kResource = 1;
constexpr std::uint32_t kScopeSpans = 2;
}  // namespace resource_spans
namespace resource {
constexpr std::uint32_t kAttributes = 1;
}
namespace scope_spans {
constexpr std::uint32_t kScope = 1;
constexpr std::uint32_t kSpans = 2;
}  // namespace scope_spans
namespace scope {
constexpr std::uint32_t kName = 1;
constexpr std::uint32_t kVersion = 2;
}  // namespace scope
namespace span {
constexpr std::uint32_t kTraceId = 1;
constexpr std::uint32_t kSpanId = 2;
constexpr std::uint32_t kTraceState = 3;
constexpr std::uint32_t kParentSpanId = 4;
constexpr std::uint32_t kName = 5;
constexpr std::uint32_t kKind = 6;
constexpr std::uint32_t kStartTime = 7;
constexpr std::uint32_t kEndTime = 8;
constexpr std::uint32_t kAttributes = 9;
constexpr std::uint32_t kDroppedAttributes = 10;
constexpr std::uint32_t kEvents = 11;
constexpr std::uint32_t kDroppedEvents = 12;
constexpr std::uint32_t kLinks = 13;
constexpr std::uint32_t kDroppedLinks = 14;
constexpr std::uint32_t kStatus = 15;
constexpr std::uint32_t kFlags = 16;
}  // namespace span
namespace event {
constexpr std::uint32_t kTime = 1;
constexpr std::uint32_t kName = 2;
constexpr std::uint32_t kAttributes = 3;
constexpr std::uint32_t kDroppedAttributes = 4;
}  // namespace event
namespace link {
constexpr std::uint32_t kTraceId = 1;
constexpr std::uint32_t kSpanId = 2;
constexpr std::uint32_t kTraceState = 3;
constexpr std::uint32_t kAttributes = 4;
constexpr std::uint32_t kDroppedAttributes = 5;
constexpr std::uint32_t kFlags = 6;
}  // namespace link
namespace status {
constexpr std::uint32_t kMessage = 2;
constexpr std::uint32_t kCode = 3;
}  // namespace status
namespace key_value {
constexpr std::uint32_t kKey = 1;
constexpr std::uint32_t kValue = 2;
}  // namespace key_value
namespace any_value {
constexpr std::uint32_t kString = 1;
constexpr std::uint32_t kBool = 2;
constexpr std::uint32_t kInt = 3;
constexpr std::uint32_t kDouble = 4;
}  // namespace any_value

// Upper bounds for Sink::reserve: a length-delimited field is a tag (at most 2 bytes here)
// plus a length (at most 5); a sub-message is a tag, its placeholder and the growth of its
// length; a varint field at most 12 bytes.
constexpr std::size_t kLengthField = 7;
constexpr std::size_t kSubMessage = 2 + 3 + wire::Sink::kMaxLengthGrowth;
constexpr std::size_t kVarintField = 12;
constexpr std::size_t kFixed64Field = 10;
constexpr std::size_t kFixed32Field = 6;

// A member of a oneof is written even when it holds its default (an empty string, false, 0):
// its presence is what says which type the value has.
void put_key_value(std::uint32_t field, std::string_view key, const AttributeValue& v,
                   wire::Sink& out) {
  // Every length is known up front, so nothing is back-patched: KeyValue { key = 1, value = 2 }
  // and AnyValue { string = 1 | bool = 2 | int = 3 | double = 4 }.
  std::size_t payload = 0;
  switch (v.type()) {
    case AttributeValue::Type::kBool:
      payload = 1;
      break;
    case AttributeValue::Type::kInt:
      payload = wire::varint_size(static_cast<std::uint64_t>(v.as_int()));
      break;
    case AttributeValue::Type::kDouble:
      payload = 8;
      break;
    case AttributeValue::Type::kString:
      payload = wire::varint_size(v.as_string().size()) + v.as_string().size();
      break;
  }
  const std::size_t any_value_size = 1 + payload;
  const std::size_t key_value_size = 1 + wire::varint_size(key.size()) + key.size() + 1 +
                                     wire::varint_size(any_value_size) + any_value_size;
  out.reserve(2 + 5 + key_value_size);
  out.tag(field, wire::WireType::kLength);
  out.varint(key_value_size);
  out.string_field(key_value::kKey, key);
  out.tag(key_value::kValue, wire::WireType::kLength);
  out.varint(any_value_size);
  switch (v.type()) {
    case AttributeValue::Type::kBool:
      out.uint_field(any_value::kBool, v.as_bool() ? 1 : 0);
      break;
    case AttributeValue::Type::kInt:
      out.uint_field(any_value::kInt, static_cast<std::uint64_t>(v.as_int()));
      break;
    case AttributeValue::Type::kDouble:
      out.double_field(any_value::kDouble, v.as_double());
      break;
    case AttributeValue::Type::kString:
      out.string_field(any_value::kString, v.as_string());
      break;
  }
}

AttributeValue borrowed(const sdk::OwnedAttributeValue& v) noexcept {
  if (const auto* s = std::get_if<std::string>(&v)) return AttributeValue(std::string_view(*s));
  if (const auto* b = std::get_if<bool>(&v)) return AttributeValue(*b);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return AttributeValue(*i);
  return AttributeValue(std::get<double>(v));
}

void put_attributes(std::uint32_t field, const sdk::AttributeStore& store, std::size_t first,
                    std::size_t count, wire::Sink& out) {
  for (std::size_t i = 0; i < count; ++i) {
    const Attribute a = store.at(first + i);
    put_key_value(field, a.key, a.value, out);
  }
}

void put_nonzero(std::uint32_t field, std::uint64_t v, wire::Sink& out) {
  if (v != 0) out.uint_field(field, v);
}

void put_nonempty(std::uint32_t field, std::string_view s, wire::Sink& out) {
  if (!s.empty()) out.string_field(field, s);
}

std::uint64_t unix_nanos(Timestamp t) noexcept {
  const std::int64_t ns = t.time_since_epoch().count();
  return ns > 0 ? static_cast<std::uint64_t>(ns) : 0;
}

// Same bits as the JSON encoder (spec.md §8.2): 0x100 says remoteness is known, 0x200 carries it.
std::uint32_t otlp_flags(TraceFlags flags, bool remote) noexcept {
  return static_cast<std::uint32_t>(flags.for_wire().bits()) | 0x100u | (remote ? 0x200u : 0u);
}

std::string_view trace_state_of(const SpanContext& context) noexcept {
  const TraceState& state = context.trace_state();
  return state.empty() ? std::string_view() : state.header();
}

void put_span(const sdk::SpanData& s, wire::Sink& out) {
  const std::string_view trace_state = trace_state_of(s.context);
  out.reserve(kSubMessage + 5 * kLengthField + 16 + 8 + 8 + trace_state.size() + s.name.size() +
              kVarintField + 2 * kFixed64Field + 3 * kVarintField + kSubMessage + kLengthField +
              s.status_description.size() + kVarintField + kFixed32Field);
  // Typical spans are 128 B to 16 KiB: a two-byte length placeholder avoids a shift.
  const std::size_t body = out.begin_message(scope_spans::kSpans, 2);
  out.bytes_field(span::kTraceId, s.context.trace_id().bytes().data(), TraceId::kSize);
  out.bytes_field(span::kSpanId, s.context.span_id().bytes().data(), SpanId::kSize);
  put_nonempty(span::kTraceState, trace_state, out);
  if (s.parent_span_id.is_valid()) {
    out.bytes_field(span::kParentSpanId, s.parent_span_id.bytes().data(), SpanId::kSize);
  }
  put_nonempty(span::kName, s.name, out);
  out.uint_field(span::kKind, static_cast<std::uint64_t>(s.kind));
  if (const auto t = unix_nanos(s.start_time); t != 0) out.fixed64_field(span::kStartTime, t);
  if (const auto t = unix_nanos(s.end_time); t != 0) out.fixed64_field(span::kEndTime, t);
  put_attributes(span::kAttributes, s.attributes, 0, s.attributes.size(), out);
  put_nonzero(span::kDroppedAttributes, s.attributes.dropped(), out);

  for (const sdk::EventData& e : s.events) {
    out.reserve(kSubMessage + kFixed64Field + kLengthField + e.name.size() + kVarintField);
    const std::size_t event_body = out.begin_message(span::kEvents);
    if (const auto t = unix_nanos(e.time); t != 0) out.fixed64_field(event::kTime, t);
    put_nonempty(event::kName, e.name, out);
    put_attributes(event::kAttributes, s.extra_attributes, e.first_attribute, e.attribute_count,
                   out);
    out.reserve(kVarintField + kSubMessage);
    put_nonzero(event::kDroppedAttributes, e.dropped_attributes, out);
    out.end_message(event_body);
  }
  out.reserve(kVarintField);
  put_nonzero(span::kDroppedEvents, s.dropped_events, out);

  for (const sdk::LinkData& l : s.links) {
    const std::string_view link_state = trace_state_of(l.context);
    out.reserve(kSubMessage + 3 * kLengthField + 16 + 8 + link_state.size());
    const std::size_t link_body = out.begin_message(span::kLinks);
    out.bytes_field(link::kTraceId, l.context.trace_id().bytes().data(), TraceId::kSize);
    out.bytes_field(link::kSpanId, l.context.span_id().bytes().data(), SpanId::kSize);
    put_nonempty(link::kTraceState, link_state, out);
    put_attributes(link::kAttributes, s.extra_attributes, l.first_attribute, l.attribute_count,
                   out);
    out.reserve(kVarintField + kFixed32Field + kSubMessage);
    put_nonzero(link::kDroppedAttributes, l.dropped_attributes, out);
    out.fixed32_field(link::kFlags, otlp_flags(l.context.trace_flags(), l.context.is_remote()));
    out.end_message(link_body);
  }

  out.reserve(kVarintField + kSubMessage + kLengthField + s.status_description.size() +
              kVarintField + kFixed32Field + kSubMessage);
  put_nonzero(span::kDroppedLinks, s.dropped_links, out);
  if (s.status != StatusCode::kUnset || !s.status_description.empty()) {
    const std::size_t status_body = out.begin_message(span::kStatus);
    put_nonempty(status::kMessage, s.status_description, out);
    put_nonzero(status::kCode, static_cast<std::uint64_t>(s.status), out);
    out.end_message(status_body);
  }
  out.fixed32_field(span::kFlags, otlp_flags(s.context.trace_flags(), s.parent_is_remote));
  out.end_message(body, 2);
}

void put_resource(const sdk::Resource* r, wire::Sink& out) {
  out.reserve(kSubMessage);
  const std::size_t body = out.begin_message(resource_spans::kResource);
  if (r != nullptr) {
    for (const sdk::ResourceAttribute& a : r->attributes()) {
      put_key_value(resource::kAttributes, a.key, borrowed(a.value), out);
    }
  }
  out.end_message(body);
}

void put_scope(const sdk::InstrumentationScope* scope, wire::Sink& out) {
  const std::size_t names = scope != nullptr ? scope->name.size() + scope->version.size() : 0;
  out.reserve(kSubMessage + 2 * kLengthField + names);
  const std::size_t body = out.begin_message(scope_spans::kScope);
  if (scope != nullptr) {
    put_nonempty(scope::kName, scope->name, out);
    put_nonempty(scope::kVersion, scope->version, out);
  }
  out.end_message(body);
}

}  // namespace

void ProtobufEncoder::encode(ArrayView<const sdk::SpanData*> spans, std::string& out) {
  // Groups keep first-seen order; a resource's groups are written together under one
  // ResourceSpans, so a resource seen again later in the batch joins its earlier entry.
  groups_.clear();
  group_of_.assign(spans.size(), 0);
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const sdk::SpanData* s = spans[i];
    if (s == nullptr) continue;
    std::size_t g = 0;
    while (g < groups_.size() &&
           (groups_[g].resource != s->resource || groups_[g].scope != s->scope)) {
      ++g;
    }
    if (g == groups_.size()) groups_.push_back({s->resource, s->scope});
    group_of_[i] = g;
  }

  wire::Sink sink(out);
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const sdk::Resource* res = groups_[g].resource;
    bool seen_before = false;
    for (std::size_t h = 0; h < g && !seen_before; ++h) seen_before = groups_[h].resource == res;
    if (seen_before) continue;

    sink.reserve(kSubMessage);
    const std::size_t rs_body = sink.begin_message(request::kResourceSpans, 3);
    put_resource(res, sink);
    for (std::size_t h = g; h < groups_.size(); ++h) {
      if (groups_[h].resource != res) continue;
      sink.reserve(kSubMessage);
      const std::size_t ss_body = sink.begin_message(resource_spans::kScopeSpans, 3);
      put_scope(groups_[h].scope, sink);
      for (std::size_t i = 0; i < spans.size(); ++i) {
        if (spans[i] != nullptr && group_of_[i] == h) put_span(*spans[i], sink);
      }
      sink.end_message(ss_body, 3);
    }
    sink.end_message(rs_body, 3);
  }
  sink.finish();
}

void encode_otlp_protobuf(ArrayView<const sdk::SpanData*> spans, std::string& out) {
  ProtobufEncoder encoder;
  encoder.encode(spans, out);
}

}  // namespace hoptrace::otlp
