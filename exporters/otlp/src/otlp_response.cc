#include "otlp_response.h"

#include <curl/curl.h>

#include <charconv>
#include <ctime>

#include "protobuf_wire.h"

namespace hoptrace::otlp {
namespace {

constexpr std::size_t kMaxMessage = 256;

std::string printable(std::string_view s) {
  std::string out(s.substr(0, kMaxMessage));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

// Finds `"key"` followed by `:` in a JSON text and returns what follows the colon (blanks
// skipped). A key's name inside a string value could fool this scan; for the two diagnostic
// fields read here that only risks a wrong log line or count, never unsafe memory access.
std::optional<std::string_view> json_value_after(std::string_view json, std::string_view key) {
  std::string quoted;
  quoted.reserve(key.size() + 2);
  quoted.push_back('"');
  quoted.append(key);
  quoted.push_back('"');
  std::size_t pos = 0;
  while ((pos = json.find(quoted, pos)) != std::string_view::npos) {
    std::size_t i = pos + quoted.size();
    while (i < json.size() &&
           (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r'))
      ++i;
    if (i < json.size() && json[i] == ':') {
      ++i;
      while (i < json.size() &&
             (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r'))
        ++i;
      return json.substr(i);
    }
    pos += quoted.size();
  }
  return std::nullopt;
}

// A JSON string literal at the start of `v`, with escapes kept as written except \" and \\.
std::optional<std::string> json_string(std::string_view v) {
  if (v.empty() || v.front() != '"') return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (v[i] == '"') return out;
    if (v[i] == '\\' && i + 1 < v.size() && (v[i + 1] == '"' || v[i + 1] == '\\')) ++i;
    out.push_back(v[i]);
    if (out.size() > kMaxMessage) return out;
  }
  return std::nullopt;
}

// An int64 written as a JSON number or a decimal string (OTLP/JSON accepts both).
std::optional<std::int64_t> json_int64(std::string_view v) {
  if (!v.empty() && v.front() == '"') v.remove_prefix(1);
  std::int64_t n = 0;
  const auto r = std::from_chars(v.data(), v.data() + v.size(), n);
  if (r.ec != std::errc()) return std::nullopt;
  return n;
}

std::optional<PartialSuccess> parse_partial_success_protobuf(std::string_view body) {
  wire::Reader response(body);
  std::uint32_t field = 0;
  wire::WireType type{};
  std::optional<PartialSuccess> result;
  while (response.read_tag(field, type)) {
    if (field != 1 || type != wire::WireType::kLength) {
      if (!response.skip(type)) return result;
      continue;
    }
    std::string_view message;
    if (!response.read_length_delimited(message)) return result;
    PartialSuccess ps;
    wire::Reader r(message);
    std::uint32_t f = 0;
    wire::WireType t{};
    while (r.read_tag(f, t)) {
      if (f == 1 && t == wire::WireType::kVarint) {
        std::uint64_t v = 0;
        if (!r.read_varint(v)) break;
        ps.rejected_spans = static_cast<std::int64_t>(v);
      } else if (f == 2 && t == wire::WireType::kLength) {
        std::string_view s;
        if (!r.read_length_delimited(s)) break;
        ps.error_message = printable(s);
      } else if (!r.skip(t)) {
        break;
      }
    }
    result = std::move(ps);
  }
  return result;
}

std::optional<PartialSuccess> parse_partial_success_json(std::string_view body) {
  const auto object = json_value_after(body, "partialSuccess");
  if (!object || object->empty() || object->front() != '{') return std::nullopt;
  PartialSuccess ps;
  if (const auto v = json_value_after(*object, "rejectedSpans")) {
    ps.rejected_spans = json_int64(*v).value_or(0);
  }
  if (const auto v = json_value_after(*object, "errorMessage")) {
    ps.error_message = printable(json_string(*v).value_or(""));
  }
  return ps;
}

}  // namespace

std::optional<PartialSuccess> parse_partial_success(std::string_view body, OtlpProtocol protocol) {
  if (body.empty()) return std::nullopt;
  return protocol == OtlpProtocol::kHttpJson ? parse_partial_success_json(body)
                                             : parse_partial_success_protobuf(body);
}

std::string parse_status_message(std::string_view body, OtlpProtocol protocol) {
  if (protocol == OtlpProtocol::kHttpJson) {
    const auto v = json_value_after(body, "message");
    return v ? printable(json_string(*v).value_or("")) : std::string();
  }
  // google.rpc.Status: code = 1, message = 2, details = 3.
  wire::Reader r(body);
  std::uint32_t field = 0;
  wire::WireType type{};
  while (r.read_tag(field, type)) {
    if (field == 2 && type == wire::WireType::kLength) {
      std::string_view s;
      if (!r.read_length_delimited(s)) break;
      return printable(s);
    }
    if (!r.skip(type)) break;
  }
  return {};
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r' ||
                            value.back() == '\n')) {
    value.remove_suffix(1);
  }
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    std::uint64_t seconds = 0;
    const auto r = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (r.ptr != value.data() + value.size()) return std::nullopt;
    // Out-of-range values saturate: the export timeout bounds the wait anyway.
    if (r.ec != std::errc() || seconds > 86400ull * 365) seconds = 86400ull * 365;
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds) * 1000);
  }
  // curl_getdate parses the three HTTP-date forms without depending on the C locale.
  const std::string date(value);
  const time_t t = curl_getdate(date.c_str(), nullptr);
  if (t == -1) return std::nullopt;
  const auto when = std::chrono::system_clock::from_time_t(t);
  if (when <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
}

}  // namespace hoptrace::otlp
