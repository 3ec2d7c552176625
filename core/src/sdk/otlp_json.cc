#include "hoptrace/core/sdk/otlp_json.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <variant>
#include <vector>

#include "hoptrace/core/sdk/resource.h"

namespace hoptrace::sdk {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at s[i], or 0 if the bytes there are not one
// (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  const std::size_t left = s.size() - i;
  const auto cont = [&](std::size_t k) { return k < s.size() && (byte(k) & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) return (left >= 2 && cont(i + 1)) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (left < 3 || !cont(i + 1) || !cont(i + 2)) return 0;
    const unsigned char b1 = byte(i + 1);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
    if (b0 == 0xED && b1 > 0x9F) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (left < 4 || !cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    const unsigned char b1 = byte(i + 1);
    if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
    if (b0 == 0xF4 && b1 > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

void append_u64(std::uint64_t v, std::string& out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

void append_i64(std::int64_t v, std::string& out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

void append_quoted_u64(std::uint64_t v, std::string& out) {
  out.push_back('"');
  append_u64(v, out);
  out.push_back('"');
}

void append_double(double v, std::string& out) {
  if (std::isnan(v)) {
    out.append("\"NaN\"");
  } else if (std::isinf(v)) {
    out.append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    // Shortest representation that reads back to the same double.
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof(buf), v);
    out.append(buf, static_cast<std::size_t>(r.ptr - buf));
  }
}

template <std::size_t N>
void append_hex(const std::array<std::uint8_t, N>& bytes, std::string& out) {
  out.push_back('"');
  for (const std::uint8_t b : bytes) {
    out.push_back(kHexDigits[b >> 4]);
    out.push_back(kHexDigits[b & 0x0F]);
  }
  out.push_back('"');
}

void append_time(Timestamp t, std::string& out) {
  const std::int64_t ns = t.time_since_epoch().count();
  append_quoted_u64(ns > 0 ? static_cast<std::uint64_t>(ns) : 0, out);
}

// `"key":` with the key known to need no escaping.
void append_key(std::string_view key, std::string& out) {
  out.push_back('"');
  out.append(key);
  out.append("\":");
}

void append_any_value(const AttributeValue& v, std::string& out) {
  switch (v.type()) {
    case AttributeValue::Type::kBool:
      out.append(v.as_bool() ? "{\"boolValue\":true}" : "{\"boolValue\":false}");
      return;
    case AttributeValue::Type::kInt:
      out.append("{\"intValue\":\"");
      append_i64(v.as_int(), out);
      out.append("\"}");
      return;
    case AttributeValue::Type::kDouble:
      out.append("{\"doubleValue\":");
      append_double(v.as_double(), out);
      out.push_back('}');
      return;
    case AttributeValue::Type::kString:
      out.append("{\"stringValue\":");
      append_json_string(v.as_string(), out);
      out.push_back('}');
      return;
  }
}

void append_key_value(std::string_view key, const AttributeValue& value, std::string& out) {
  out.append("{\"key\":");
  append_json_string(key, out);
  out.append(",\"value\":");
  append_any_value(value, out);
  out.push_back('}');
}

void append_owned_value(const OwnedAttributeValue& v, std::string& out) {
  if (const auto* s = std::get_if<std::string>(&v)) {
    append_any_value(AttributeValue(std::string_view(*s)), out);
  } else if (const auto* b = std::get_if<bool>(&v)) {
    append_any_value(AttributeValue(*b), out);
  } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
    append_any_value(AttributeValue(*i), out);
  } else if (const auto* d = std::get_if<double>(&v)) {
    append_any_value(AttributeValue(*d), out);
  }
}

void append_dropped(std::string_view key, std::uint32_t count, std::string& out) {
  if (count == 0) return;
  out.push_back(',');
  append_key(key, out);
  append_u64(count, out);
}

// Writes `,"attributes":[...]` for entries [first, first + count) of `store`, nothing if empty.
void append_attributes(const AttributeStore& store, std::size_t first, std::size_t count,
                       std::string& out) {
  if (count == 0) return;
  out.append(",\"attributes\":[");
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out.push_back(',');
    const Attribute a = store.at(first + i);
    append_key_value(a.key, a.value, out);
  }
  out.push_back(']');
}

void append_trace_state(const TraceState& state, std::string& out) {
  if (state.empty()) return;
  const std::string_view header = state.header();
  if (header.empty()) return;
  out.append(",\"traceState\":");
  append_json_string(header, out);
}

std::uint32_t otlp_flags(TraceFlags flags, bool remote) noexcept {
  // Bit 0x100 says remoteness is known; 0x200 carries it (trace.proto SpanFlags).
  return static_cast<std::uint32_t>(flags.for_wire().bits()) | 0x100u | (remote ? 0x200u : 0u);
}

void append_resource(const Resource* resource, std::string& out) {
  out.append("\"resource\":{");
  if (resource != nullptr && !resource->attributes().empty()) {
    out.append("\"attributes\":[");
    bool first = true;
    for (const ResourceAttribute& a : resource->attributes()) {
      if (!first) out.push_back(',');
      first = false;
      out.append("{\"key\":");
      append_json_string(a.key, out);
      out.append(",\"value\":");
      append_owned_value(a.value, out);
      out.push_back('}');
    }
    out.push_back(']');
  }
  out.push_back('}');
}

void append_scope(const InstrumentationScope* scope, std::string& out) {
  out.append("\"scope\":{");
  if (scope != nullptr) {
    out.append("\"name\":");
    append_json_string(scope->name, out);
    if (!scope->version.empty()) {
      out.append(",\"version\":");
      append_json_string(scope->version, out);
    }
  }
  out.push_back('}');
}

void append_span(const SpanData& span, std::string& out) {
  out.append("{\"traceId\":");
  append_hex(span.context.trace_id().bytes(), out);
  out.append(",\"spanId\":");
  append_hex(span.context.span_id().bytes(), out);
  append_trace_state(span.context.trace_state(), out);
  if (span.parent_span_id.is_valid()) {
    out.append(",\"parentSpanId\":");
    append_hex(span.parent_span_id.bytes(), out);
  }
  out.append(",\"flags\":");
  append_u64(otlp_flags(span.context.trace_flags(), span.parent_is_remote), out);
  out.append(",\"name\":");
  append_json_string(span.name, out);
  out.append(",\"kind\":");
  append_u64(static_cast<std::uint64_t>(span.kind), out);
  out.append(",\"startTimeUnixNano\":");
  append_time(span.start_time, out);
  out.append(",\"endTimeUnixNano\":");
  append_time(span.end_time, out);
  append_attributes(span.attributes, 0, span.attributes.size(), out);
  append_dropped("droppedAttributesCount", span.attributes.dropped(), out);

  if (!span.events.empty()) {
    out.append(",\"events\":[");
    bool first = true;
    for (const EventData& e : span.events) {
      if (!first) out.push_back(',');
      first = false;
      out.append("{\"timeUnixNano\":");
      append_time(e.time, out);
      out.append(",\"name\":");
      append_json_string(e.name, out);
      append_attributes(span.extra_attributes, e.first_attribute, e.attribute_count, out);
      append_dropped("droppedAttributesCount", e.dropped_attributes, out);
      out.push_back('}');
    }
    out.push_back(']');
  }
  append_dropped("droppedEventsCount", span.dropped_events, out);

  if (!span.links.empty()) {
    out.append(",\"links\":[");
    bool first = true;
    for (const LinkData& l : span.links) {
      if (!first) out.push_back(',');
      first = false;
      out.append("{\"traceId\":");
      append_hex(l.context.trace_id().bytes(), out);
      out.append(",\"spanId\":");
      append_hex(l.context.span_id().bytes(), out);
      append_trace_state(l.context.trace_state(), out);
      append_attributes(span.extra_attributes, l.first_attribute, l.attribute_count, out);
      append_dropped("droppedAttributesCount", l.dropped_attributes, out);
      out.append(",\"flags\":");
      append_u64(otlp_flags(l.context.trace_flags(), l.context.is_remote()), out);
      out.push_back('}');
    }
    out.push_back(']');
  }
  append_dropped("droppedLinksCount", span.dropped_links, out);

  out.append(",\"status\":{\"code\":");
  append_u64(static_cast<std::uint64_t>(span.status), out);
  if (!span.status_description.empty()) {
    out.append(",\"message\":");
    append_json_string(span.status_description, out);
  }
  out.append("}}");
}

}  // namespace

void append_json_string(std::string_view s, std::string& out) {
  out.push_back('"');
  std::size_t run_start = 0;
  std::size_t i = 0;
  const auto flush_run = [&] { out.append(s.data() + run_start, i - run_start); };
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t len = utf8_sequence_length(s, i);
      if (len != 0) {
        i += len;
        continue;
      }
      flush_run();
      out.append("\xEF\xBF\xBD");  // U+FFFD for each byte that is not valid UTF-8
      run_start = ++i;
      continue;
    }
    flush_run();
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHexDigits[c >> 4], kHexDigits[c & 0x0F]};
        out.append(escape, sizeof(escape));
      }
    }
    run_start = ++i;
  }
  flush_run();
  out.push_back('"');
}

void encode_otlp_json(ArrayView<const SpanData*> spans, std::string& out) {
  // Group without reordering: each span gets the index of its (resource, scope) group, groups
  // are numbered in first-seen order, and groups of one resource stay adjacent.
  struct Group {
    const Resource* resource;
    const InstrumentationScope* scope;
    std::size_t resource_rank;
  };
  std::vector<const Resource*> resources;
  std::vector<Group> groups;
  std::vector<std::size_t> group_of(spans.size(), 0);
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const SpanData* s = spans[i];
    if (s == nullptr) continue;
    std::size_t rank = 0;
    while (rank < resources.size() && resources[rank] != s->resource) ++rank;
    if (rank == resources.size()) resources.push_back(s->resource);
    std::size_t g = 0;
    while (g < groups.size() &&
           (groups[g].resource != s->resource || groups[g].scope != s->scope)) {
      ++g;
    }
    if (g == groups.size()) groups.push_back({s->resource, s->scope, rank});
    group_of[i] = g;
  }

  out.append("{\"resourceSpans\":[");
  for (std::size_t r = 0; r < resources.size(); ++r) {
    if (r != 0) out.push_back(',');
    out.push_back('{');
    append_resource(resources[r], out);
    out.append(",\"scopeSpans\":[");
    bool first_scope = true;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (groups[g].resource_rank != r) continue;
      if (!first_scope) out.push_back(',');
      first_scope = false;
      out.push_back('{');
      append_scope(groups[g].scope, out);
      out.append(",\"spans\":[");
      bool first_span = true;
      for (std::size_t i = 0; i < spans.size(); ++i) {
        if (spans[i] == nullptr || group_of[i] != g) continue;
        if (!first_span) out.push_back(',');
        first_span = false;
        append_span(*spans[i], out);
      }
      out.append("]}");
    }
    out.append("]}");
  }
  out.append("]}");
}

}  // namespace hoptrace::sdk
