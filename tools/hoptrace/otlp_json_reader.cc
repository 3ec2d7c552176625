#include "otlp_json_reader.h"

#include <array>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "text_layout.h"

namespace hoptrace::cli {
namespace {

using nlohmann::json;

// The line is not an OTLP request at all; none of its spans are kept.
class MalformedLine : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One span (or link) is unusable; the rest of the line is fine.
class BadField : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string quoted(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return printable(text);
}

int base64_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Standard or URL-safe base64 of exactly N bytes, padded or not.
template <std::size_t N>
std::optional<std::array<std::uint8_t, N>> decode_base64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() != (N * 4 + 2) / 3) return std::nullopt;
  std::array<std::uint8_t, N> bytes{};
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t out = 0;
  for (char c : text) {
    const int v = base64_value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (out < N) bytes[out++] = static_cast<std::uint8_t>((buffer >> bits) & 0xFFU);
    }
  }
  if (out != N) return std::nullopt;
  return bytes;
}

// Reads a trace id field: hex of either case (spec.md §8.2), or base64 of 16 bytes.
std::optional<TraceId> read_trace_id(const json& value) {
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  if (text.size() == TraceId::kHexLength) return TraceId::from_hex_padded(text);
  if (auto bytes = decode_base64<TraceId::kSize>(text)) return TraceId(*bytes);
  return std::nullopt;
}

std::optional<SpanId> read_span_id(const json& value) {
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  if (text.size() == SpanId::kHexLength) return SpanId::from_hex_padded(text);
  if (auto bytes = decode_base64<SpanId::kSize>(text)) return SpanId(*bytes);
  return std::nullopt;
}

TraceId require_trace_id(const json& span, const char* field) {
  const auto it = span.find(field);
  if (it == span.end()) throw BadField(std::string("no ") + field);
  const auto id = read_trace_id(*it);
  if (!id) throw BadField(std::string(field) + " " + quoted(*it) + " is not 32 hex digits");
  if (!id->is_valid()) throw BadField(std::string(field) + " is all zeros");
  return *id;
}

SpanId require_span_id(const json& span, const char* field) {
  const auto it = span.find(field);
  if (it == span.end()) throw BadField(std::string("no ") + field);
  const auto id = read_span_id(*it);
  if (!id) throw BadField(std::string(field) + " " + quoted(*it) + " is not 16 hex digits");
  if (!id->is_valid()) throw BadField(std::string(field) + " is all zeros");
  return *id;
}

// 64-bit integers arrive as decimal strings in OTLP JSON, but receivers accept numbers too.
std::optional<std::uint64_t> read_u64(const json& span, const char* field) {
  const auto it = span.find(field);
  if (it == span.end() || it->is_null()) return std::nullopt;
  const json& value = *it;
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (std::isfinite(d) && d >= 0.0 && d < 18446744073709551616.0) {
      return static_cast<std::uint64_t>(d);
    }
  } else if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    std::uint64_t result = 0;
    bool ok = !text.empty() && text.size() <= 20;
    for (char c : text) {
      if (c < '0' || c > '9') {
        ok = false;
        break;
      }
      const auto digit = static_cast<std::uint64_t>(c - '0');
      if (result > (std::numeric_limits<std::uint64_t>::max() - digit) / 10U) {
        ok = false;
        break;
      }
      result = result * 10U + digit;
    }
    if (ok) return result;
  }
  throw BadField(std::string(field) + " " + quoted(value) + " is not a non-negative integer");
}

// Enums are integers in OTLP JSON; names are accepted from generic proto3 JSON writers.
int read_enum(const json& value, std::initializer_list<std::string_view> names) {
  if (value.is_number_integer()) {
    const auto v = value.get<std::int64_t>();
    return v >= 0 && v < static_cast<std::int64_t>(names.size()) ? static_cast<int>(v) : 0;
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    int index = 0;
    for (std::string_view name : names) {
      if (text == name) return index;
      ++index;
    }
  }
  return 0;
}

const json* find_array(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  if (!it->is_array()) throw MalformedLine(std::string("\"") + key + "\" is not an array");
  return &*it;
}

std::string service_name(const json& resource_spans) {
  const auto resource = resource_spans.find("resource");
  if (resource == resource_spans.end() || !resource->is_object()) return {};
  const auto attributes = resource->find("attributes");
  if (attributes == resource->end() || !attributes->is_array()) return {};
  for (const json& attribute : *attributes) {
    if (!attribute.is_object()) continue;
    const auto key = attribute.find("key");
    if (key == attribute.end() || *key != "service.name") continue;
    const auto value = attribute.find("value");
    if (value == attribute.end() || !value->is_object()) return {};
    const auto text = value->find("stringValue");
    if (text != value->end() && text->is_string()) return text->get<std::string>();
    return {};
  }
  return {};
}

SpanRecord parse_span(const json& span, const std::string& service) {
  if (!span.is_object()) throw BadField("not a JSON object");
  SpanRecord record;
  record.service = service;
  const auto name = span.find("name");
  if (name != span.end() && name->is_string()) record.name = name->get<std::string>();
  record.trace_id = require_trace_id(span, "traceId");
  record.span_id = require_span_id(span, "spanId");
  const auto parent = span.find("parentSpanId");
  if (parent != span.end() && !parent->is_null() &&
      !(parent->is_string() && parent->get_ref<const std::string&>().empty())) {
    const auto id = read_span_id(*parent);
    if (!id) throw BadField("parentSpanId " + quoted(*parent) + " is not 16 hex digits");
    record.parent_span_id = *id;  // all zeros reads as "no parent", as OTLP writers mean it
  }
  const auto kind = span.find("kind");
  if (kind != span.end()) {
    record.kind = static_cast<SpanRecord::Kind>(
        read_enum(*kind, {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
                          "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"}));
  }
  record.start_ns = read_u64(span, "startTimeUnixNano");
  record.end_ns = read_u64(span, "endTimeUnixNano");
  const auto status = span.find("status");
  if (status != span.end() && status->is_object()) {
    const auto code = status->find("code");
    if (code != status->end()) {
      record.status = static_cast<SpanRecord::Status>(
          read_enum(*code, {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"}));
    }
    const auto message = status->find("message");
    if (message != status->end() && message->is_string()) {
      record.status_message = message->get<std::string>();
    }
  }
  return record;
}

}  // namespace

void OtlpJsonReader::read(std::istream& in, const std::string& source,
                          std::vector<SpanRecord>& out) {
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++summary_.lines;
    read_line(line, source + ":" + std::to_string(number), out);
  }
}

void OtlpJsonReader::read_line(const std::string& line, const std::string& where,
                               std::vector<SpanRecord>& out) {
  std::vector<SpanRecord> spans;
  std::size_t skipped_spans = 0;
  std::size_t skipped_links = 0;
  std::vector<std::string> messages;
  try {
    json doc;
    try {
      doc = json::parse(line);
    } catch (const json::parse_error& e) {
      std::string what = e.what();
      const auto bracket = what.find("] ");
      if (what.compare(0, 1, "[") == 0 && bracket != std::string::npos) {
        what.erase(0, bracket + 2);
      }
      // Each record is one line, so the parser's own line number is always 1: drop it.
      const auto at_line = what.find("at line 1, column");
      if (at_line != std::string::npos) what.erase(at_line + 3, 8);
      throw MalformedLine("not valid JSON (" + printable(what) + ")");
    }
    if (!doc.is_object()) throw MalformedLine("not a JSON object");
    const json* resource_spans = find_array(doc, "resourceSpans");
    if (resource_spans == nullptr) {
      throw MalformedLine(
          "no \"resourceSpans\" array; expected one OTLP ExportTraceServiceRequest per line");
    }
    for (const json& rs : *resource_spans) {
      if (!rs.is_object()) throw MalformedLine("a \"resourceSpans\" entry is not an object");
      const std::string service = service_name(rs);
      const json* scopes = find_array(rs, "scopeSpans");
      if (scopes == nullptr) scopes = find_array(rs, "instrumentationLibrarySpans");
      if (scopes == nullptr) continue;
      for (const json& scope : *scopes) {
        if (!scope.is_object()) throw MalformedLine("a \"scopeSpans\" entry is not an object");
        const json* scope_spans = find_array(scope, "spans");
        if (scope_spans == nullptr) continue;
        for (const json& span : *scope_spans) {
          try {
            SpanRecord record = parse_span(span, service);
            record.origin = where;
            const json* links = span.is_object() ? find_array(span, "links") : nullptr;
            if (links != nullptr) {
              std::size_t index = 0;
              for (const json& link : *links) {
                ++index;
                try {
                  if (!link.is_object()) throw BadField("not a JSON object");
                  record.links.push_back(
                      {require_trace_id(link, "traceId"), require_span_id(link, "spanId")});
                } catch (const BadField& e) {
                  ++skipped_links;
                  messages.push_back(where + ": span \"" + printable(record.name) + "\": link #" +
                                     std::to_string(index) + " dropped: " + e.what());
                }
              }
            }
            spans.push_back(std::move(record));
          } catch (const BadField& e) {
            ++skipped_spans;
            std::string name;
            if (span.is_object()) {
              const auto it = span.find("name");
              if (it != span.end() && it->is_string())
                name = " \"" + printable(it->get_ref<const std::string&>()) + "\"";
            }
            messages.push_back(where + ": span" + name + " skipped: " + e.what());
          }
        }
      }
    }
  } catch (const MalformedLine& e) {
    ++summary_.malformed_lines;
    report_(where + ": line skipped: " + e.what());
    return;
  }
  for (const std::string& message : messages) report_(message);
  summary_.spans += spans.size();
  summary_.skipped_spans += skipped_spans;
  summary_.skipped_links += skipped_links;
  for (auto& span : spans) out.push_back(std::move(span));
}

}  // namespace hoptrace::cli
