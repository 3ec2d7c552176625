#include "hoptrace/otlp/otlp_http_exporter_options.h"

#include <charconv>
#include <cstdio>

#include "env.h"
#include "hoptrace/core/detail/hex.h"
#include "hoptrace/core/error.h"

namespace hoptrace::otlp {
namespace {

constexpr std::size_t kOtlpMaxRequestBytes = 64u << 20;

// http:// or https:// followed by a non-empty authority; returns the index where the path
// starts (npos when there is none) through `path_start`.
bool is_http_url(std::string_view url, std::size_t* path_start) noexcept {
  std::size_t authority = 0;
  if (detail::starts_with_ignore_case(url, "http://")) {
    authority = 7;
  } else if (detail::starts_with_ignore_case(url, "https://")) {
    authority = 8;
  } else {
    return false;
  }
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return false;
  }
  const std::size_t end = url.find_first_of("/?#", authority);
  if (end == authority || authority == url.size()) return false;
  *path_start = (end != std::string_view::npos && url[end] == '/') ? end : std::string_view::npos;
  return true;
}

// The per-signal rule: the URL as-is, with "/" when it has no path (spec.md §8.3).
std::string with_root_path(std::string_view url, std::size_t path_start) {
  if (path_start != std::string_view::npos) return std::string(url);
  const std::size_t query = url.find_first_of("?#");
  std::string out(url.substr(0, query));
  out.push_back('/');
  if (query != std::string_view::npos) out.append(url.substr(query));
  return out;
}

// The generic rule: base URL, made to end with "/", plus "v1/traces".
std::string traces_url_from_base(std::string_view base) {
  std::string out(base);
  if (out.empty() || out.back() != '/') out.push_back('/');
  out.append("v1/traces");
  return out;
}

bool is_token_char(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_valid_header_name(std::string_view name) noexcept {
  if (name.empty()) return false;
  for (const char c : name) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

// A value curl can send on one line: no CR, LF or NUL (which would split or end the header).
bool is_valid_header_value(std::string_view value) noexcept {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = detail::hex_value(in[i + 1], true);
    const int lo = detail::hex_value(in[i + 2], true);
    if ((hi | lo) < 0) return false;
    out.push_back(static_cast<char>((hi << 4) | lo));
    i += 2;
  }
  return true;
}

// `k=v,k2=v2` with baggage-style percent-encoding; any malformed entry rejects the whole list.
std::optional<std::vector<OtlpHeader>> parse_headers(std::string_view list, std::string* error) {
  std::vector<OtlpHeader> headers;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t comma = list.find(',', pos);
    if (comma == std::string_view::npos) comma = list.size();
    const std::string_view member = env::trim(list.substr(pos, comma - pos));
    pos = comma + 1;
    if (member.empty()) continue;
    const std::size_t eq = member.find('=');
    if (eq == std::string_view::npos) {
      *error = "entry '" + std::string(member) + "' is not key=value";
      return std::nullopt;
    }
    OtlpHeader h;
    if (!percent_decode(env::trim(member.substr(0, eq)), h.name) ||
        !percent_decode(env::trim(member.substr(eq + 1)), h.value)) {
      *error = "entry '" + std::string(member) + "' has a malformed %-escape";
      return std::nullopt;
    }
    if (!is_valid_header_name(h.name)) {
      *error = "'" + h.name + "' is not a valid HTTP header name";
      return std::nullopt;
    }
    if (!is_valid_header_value(h.value)) {
      *error = "the value of '" + h.name + "' contains CR, LF or NUL";
      return std::nullopt;
    }
    headers.push_back(std::move(h));
  }
  return headers;
}

void merge_header(std::vector<OtlpHeader>& headers, OtlpHeader h) {
  for (OtlpHeader& existing : headers) {
    if (detail::equals_ignore_case(existing.name, h.name)) {
      existing.value = std::move(h.value);
      return;
    }
  }
  headers.push_back(std::move(h));
}

void warn_ignored(const env::Found& v, std::string_view why, std::string_view used) {
  env::warn_once("ignoring " + v.name + "='" + v.value + "': " + std::string(why) + "; using " +
                 std::string(used));
}

std::string resolve_url(const OtlpHttpExporterOptions& options) {
  std::size_t path_start = 0;
  if (options.endpoint) {
    if (!is_http_url(*options.endpoint, &path_start)) {
      throw ConfigError("OtlpHttpExporterOptions::endpoint '" + *options.endpoint +
                        "' is not an http:// or https:// URL with a host; give the full URL, "
                        "e.g. http://localhost:4318/v1/traces");
    }
    return with_root_path(*options.endpoint, path_start);
  }
  if (auto v = env::value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) {
    const std::string_view url = env::trim(*v);
    if (is_http_url(url, &path_start)) return with_root_path(url, path_start);
    warn_ignored({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", *v},
                 "not an http:// or https:// URL with a host",
                 "OTEL_EXPORTER_OTLP_ENDPOINT or the default");
  }
  if (auto v = env::value("OTEL_EXPORTER_OTLP_ENDPOINT")) {
    const std::string_view url = env::trim(*v);
    if (is_http_url(url, &path_start)) return traces_url_from_base(url);
    warn_ignored({"OTEL_EXPORTER_OTLP_ENDPOINT", *v}, "not an http:// or https:// URL with a host",
                 "http://localhost:4318/v1/traces");
  }
  return "http://localhost:4318/v1/traces";
}

OtlpProtocol resolve_protocol(const OtlpHttpExporterOptions& options) {
  if (options.protocol) return *options.protocol;
  const auto v = env::traces_or_generic("PROTOCOL");
  if (!v) return OtlpProtocol::kHttpProtobuf;
  const std::string p = env::lower(env::trim(v->value));
  if (p == "http/protobuf") return OtlpProtocol::kHttpProtobuf;
  if (p == "http/json") return OtlpProtocol::kHttpJson;
  if (p == "grpc") {
    warn_ignored(*v,
                 "OTLP/gRPC is not supported by hoptrace (point it at the receiver's HTTP "
                 "port, 4318 by default)",
                 "http/protobuf");
  } else {
    warn_ignored(*v, "expected http/protobuf, http/json or grpc", "http/protobuf");
  }
  return OtlpProtocol::kHttpProtobuf;
}

std::vector<OtlpHeader> resolve_headers(const OtlpHttpExporterOptions& options) {
  std::vector<OtlpHeader> headers;
  if (const auto v = env::traces_or_generic("HEADERS")) {
    std::string error;
    if (auto parsed = parse_headers(v->value, &error)) {
      headers = std::move(*parsed);
    } else {
      warn_ignored(*v, error, "no headers from the environment");
    }
  }
  for (const OtlpHeader& h : options.headers) {
    if (!is_valid_header_name(h.name) || !is_valid_header_value(h.value)) {
      throw ConfigError("OtlpHttpExporterOptions::headers: '" + h.name +
                        "' is not a valid HTTP header name, or its value contains CR, LF or NUL");
    }
    merge_header(headers, h);
  }
  return headers;
}

std::chrono::milliseconds resolve_timeout(const OtlpHttpExporterOptions& options) {
  if (options.timeout) {
    if (options.timeout->count() <= 0) {
      throw ConfigError("OtlpHttpExporterOptions::timeout must be positive");
    }
    return *options.timeout;
  }
  const auto v = env::traces_or_generic("TIMEOUT");
  if (!v) return std::chrono::milliseconds(10000);
  const std::string_view s = env::trim(v->value);
  std::uint64_t ms = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), ms);
  // An hour bounds what an export may take; more is a typo (e.g. seconds given as ms * 1000).
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || ms == 0 || ms > 3600000) {
    warn_ignored(*v, "expected a positive number of milliseconds (at most 3600000)", "10000");
    return std::chrono::milliseconds(10000);
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

OtlpCompression resolve_compression(const OtlpHttpExporterOptions& options) {
  if (options.compression) return *options.compression;
  const auto v = env::traces_or_generic("COMPRESSION");
  if (!v) return OtlpCompression::kNone;
  const std::string c = env::lower(env::trim(v->value));
  if (c == "gzip") return OtlpCompression::kGzip;
  if (c == "none") return OtlpCompression::kNone;
  warn_ignored(*v, "expected gzip or none", "none");
  return OtlpCompression::kNone;
}

std::string resolve_file(const std::optional<std::string>& option, std::string_view suffix) {
  if (option) return *option;
  const auto v = env::traces_or_generic(suffix);
  if (!v) return {};
  std::FILE* f = std::fopen(v->value.c_str(), "rb");
  if (f == nullptr) {
    warn_ignored(*v, "the file cannot be opened", "none");
    return {};
  }
  std::fclose(f);
  return v->value;
}

}  // namespace

OtlpHttpExporterSettings OtlpHttpExporterSettings::resolve(const OtlpHttpExporterOptions& options) {
  OtlpHttpExporterSettings s;
  s.url = resolve_url(options);
  s.protocol = resolve_protocol(options);
  s.headers = resolve_headers(options);
  s.timeout = resolve_timeout(options);
  s.compression = resolve_compression(options);
  s.certificate_file = resolve_file(options.certificate_file, "CERTIFICATE");
  s.client_key_file = resolve_file(options.client_key_file, "CLIENT_KEY");
  s.client_certificate_file = resolve_file(options.client_certificate_file, "CLIENT_CERTIFICATE");
  const OtlpRetryPolicy& r = options.retry;
  if (r.initial_backoff.count() <= 0 || r.max_backoff < r.initial_backoff ||
      !(r.multiplier >= 1.0) || r.multiplier > 100.0) {
    throw ConfigError(
        "OtlpHttpExporterOptions::retry: initial_backoff must be positive, "
        "max_backoff at least initial_backoff, and multiplier in [1, 100]");
  }
  s.retry = r;
  if (options.max_request_bytes == 0 || options.max_request_bytes > kOtlpMaxRequestBytes) {
    throw ConfigError("OtlpHttpExporterOptions::max_request_bytes must be in [1, 64 MiB]");
  }
  s.max_request_bytes = options.max_request_bytes;
  return s;
}

std::string_view to_string(OtlpProtocol protocol) noexcept {
  return protocol == OtlpProtocol::kHttpJson ? "http/json" : "http/protobuf";
}

std::string_view to_string(OtlpCompression compression) noexcept {
  return compression == OtlpCompression::kGzip ? "gzip" : "none";
}

}  // namespace hoptrace::otlp
