#include "hoptrace/otlp/otlp_protobuf.h"

#include <cstdint>
#include <variant>

#include "hoptrace/core/sdk/resource.h"
#include "protobuf_wire.h"

namespace hoptrace::otlp {
namespace {

using wire::begin_message;
using wire::end_message;

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

// A member of a oneof is written even when it holds its default (an empty string, false, 0):
// its presence is what says which type the value has.
void put_any_value(const AttributeValue& v, std::string& out) {
  const std::size_t body = begin_message(key_value::kValue, out);
  switch (v.type()) {
    case AttributeValue::Type::kBool:
      wire::put_uint(any_value::kBool, v.as_bool() ? 1 : 0, out);
      break;
    case AttributeValue::Type::kInt:
      wire::put_uint(any_value::kInt, static_cast<std::uint64_t>(v.as_int()), out);
      break;
    case AttributeValue::Type::kDouble:
      wire::put_double(any_value::kDouble, v.as_double(), out);
      break;
    case AttributeValue::Type::kString:
      wire::put_string(any_value::kString, v.as_string(), out);
      break;
  }
  end_message(body, out);
}

void put_key_value(std::uint32_t field, std::string_view key, const AttributeValue& value,
                   std::string& out) {
  const std::size_t body = begin_message(field, out);
  wire::put_string(key_value::kKey, key, out);
  put_any_value(value, out);
  end_message(body, out);
}

AttributeValue borrowed(const sdk::OwnedAttributeValue& v) noexcept {
  if (const auto* s = std::get_if<std::string>(&v)) return AttributeValue(std::string_view(*s));
  if (const auto* b = std::get_if<bool>(&v)) return AttributeValue(*b);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return AttributeValue(*i);
  return AttributeValue(std::get<double>(v));
}

void put_attributes(std::uint32_t field, const sdk::AttributeStore& store, std::size_t first,
                    std::size_t count, std::string& out) {
  for (std::size_t i = 0; i < count; ++i) {
    const Attribute a = store.at(first + i);
    put_key_value(field, a.key, a.value, out);
  }
}

void put_nonzero(std::uint32_t field, std::uint64_t v, std::string& out) {
  if (v != 0) wire::put_uint(field, v, out);
}

void put_nonempty(std::uint32_t field, std::string_view s, std::string& out) {
  if (!s.empty()) wire::put_string(field, s, out);
}

std::uint64_t unix_nanos(Timestamp t) noexcept {
  const std::int64_t ns = t.time_since_epoch().count();
  return ns > 0 ? static_cast<std::uint64_t>(ns) : 0;
}

// Same bits as the JSON encoder (spec.md §8.2): 0x100 says remoteness is known, 0x200 carries it.
std::uint32_t otlp_flags(TraceFlags flags, bool remote) noexcept {
  return static_cast<std::uint32_t>(flags.for_wire().bits()) | 0x100u | (remote ? 0x200u : 0u);
}

void put_trace_state(std::uint32_t field, const TraceState& state, std::string& out) {
  if (!state.empty()) put_nonempty(field, state.header(), out);
}

void put_span(const sdk::SpanData& s, std::string& out) {
  const std::size_t body = begin_message(scope_spans::kSpans, out);
  const auto& trace_id = s.context.trace_id().bytes();
  const auto& span_id = s.context.span_id().bytes();
  wire::put_bytes(span::kTraceId, trace_id.data(), trace_id.size(), out);
  wire::put_bytes(span::kSpanId, span_id.data(), span_id.size(), out);
  put_trace_state(span::kTraceState, s.context.trace_state(), out);
  if (s.parent_span_id.is_valid()) {
    const auto& parent = s.parent_span_id.bytes();
    wire::put_bytes(span::kParentSpanId, parent.data(), parent.size(), out);
  }
  put_nonempty(span::kName, s.name, out);
  wire::put_uint(span::kKind, static_cast<std::uint64_t>(s.kind), out);
  if (const auto t = unix_nanos(s.start_time); t != 0) wire::put_fixed64(span::kStartTime, t, out);
  if (const auto t = unix_nanos(s.end_time); t != 0) wire::put_fixed64(span::kEndTime, t, out);
  put_attributes(span::kAttributes, s.attributes, 0, s.attributes.size(), out);
  put_nonzero(span::kDroppedAttributes, s.attributes.dropped(), out);

  for (const sdk::EventData& e : s.events) {
    const std::size_t event_body = begin_message(span::kEvents, out);
    if (const auto t = unix_nanos(e.time); t != 0) wire::put_fixed64(event::kTime, t, out);
    put_nonempty(event::kName, e.name, out);
    put_attributes(event::kAttributes, s.extra_attributes, e.first_attribute, e.attribute_count,
                   out);
    put_nonzero(event::kDroppedAttributes, e.dropped_attributes, out);
    end_message(event_body, out);
  }
  put_nonzero(span::kDroppedEvents, s.dropped_events, out);

  for (const sdk::LinkData& l : s.links) {
    const std::size_t link_body = begin_message(span::kLinks, out);
    const auto& link_trace = l.context.trace_id().bytes();
    const auto& link_span = l.context.span_id().bytes();
    wire::put_bytes(link::kTraceId, link_trace.data(), link_trace.size(), out);
    wire::put_bytes(link::kSpanId, link_span.data(), link_span.size(), out);
    put_trace_state(link::kTraceState, l.context.trace_state(), out);
    put_attributes(link::kAttributes, s.extra_attributes, l.first_attribute, l.attribute_count,
                   out);
    put_nonzero(link::kDroppedAttributes, l.dropped_attributes, out);
    wire::put_fixed32(link::kFlags, otlp_flags(l.context.trace_flags(), l.context.is_remote()),
                      out);
    end_message(link_body, out);
  }
  put_nonzero(span::kDroppedLinks, s.dropped_links, out);

  if (s.status != StatusCode::kUnset || !s.status_description.empty()) {
    const std::size_t status_body = begin_message(span::kStatus, out);
    put_nonempty(status::kMessage, s.status_description, out);
    put_nonzero(status::kCode, static_cast<std::uint64_t>(s.status), out);
    end_message(status_body, out);
  }
  wire::put_fixed32(span::kFlags, otlp_flags(s.context.trace_flags(), s.parent_is_remote), out);
  end_message(body, out);
}

void put_resource(const sdk::Resource* r, std::string& out) {
  const std::size_t body = begin_message(resource_spans::kResource, out);
  if (r != nullptr) {
    for (const sdk::ResourceAttribute& a : r->attributes()) {
      put_key_value(resource::kAttributes, a.key, borrowed(a.value), out);
    }
  }
  end_message(body, out);
}

void put_scope(const sdk::InstrumentationScope* scope, std::string& out) {
  const std::size_t body = begin_message(scope_spans::kScope, out);
  if (scope != nullptr) {
    put_nonempty(scope::kName, scope->name, out);
    put_nonempty(scope::kVersion, scope->version, out);
  }
  end_message(body, out);
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
    while (g < groups_.size() && (groups_[g].resource != s->resource || groups_[g].scope != s->scope)) {
      ++g;
    }
    if (g == groups_.size()) groups_.push_back({s->resource, s->scope});
    group_of_[i] = g;
  }

  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const sdk::Resource* res = groups_[g].resource;
    bool seen_before = false;
    for (std::size_t h = 0; h < g && !seen_before; ++h) seen_before = groups_[h].resource == res;
    if (seen_before) continue;

    const std::size_t rs_body = begin_message(request::kResourceSpans, out);
    put_resource(res, out);
    for (std::size_t h = g; h < groups_.size(); ++h) {
      if (groups_[h].resource != res) continue;
      const std::size_t ss_body = begin_message(resource_spans::kScopeSpans, out);
      put_scope(groups_[h].scope, out);
      for (std::size_t i = 0; i < spans.size(); ++i) {
        if (spans[i] != nullptr && group_of_[i] == h) put_span(*spans[i], out);
      }
      end_message(ss_body, out);
    }
    end_message(rs_body, out);
  }
}

void encode_otlp_protobuf(ArrayView<const sdk::SpanData*> spans, std::string& out) {
  ProtobufEncoder encoder;
  encoder.encode(spans, out);
}

}  // namespace hoptrace::otlp
