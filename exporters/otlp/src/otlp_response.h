#pragma once

// Reading what an OTLP/HTTP receiver answers. Private to hoptrace::otlp; every function takes
// untrusted bytes and never throws on them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hoptrace/otlp/otlp_http_exporter_options.h"

namespace hoptrace::otlp {

/// ExportTraceServiceResponse.partial_success.
struct PartialSuccess {
  std::int64_t rejected_spans = 0;
  std::string error_message;
};

/// Parses the partial_success of a 2xx response body in `protocol`'s encoding. nullopt when
/// the body is empty, holds no partial_success, or cannot be parsed.
std::optional<PartialSuccess> parse_partial_success(std::string_view body, OtlpProtocol protocol);

/// The `message` of a google.rpc.Status error body (protobuf or JSON), truncated to 256 bytes
/// and with control characters replaced; empty when there is none.
std::string parse_status_message(std::string_view body, OtlpProtocol protocol);

/// The wait a Retry-After header value asks for: delay-seconds, or an HTTP-date (IMF-fixdate,
/// RFC 850 or asctime) relative to `now` (a date in the past means no wait). nullopt when the
/// value is neither.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

/// True for the HTTP statuses OTLP says to retry: 429, 502, 503, 504.
constexpr bool is_retryable_status(long status) noexcept {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

}  // namespace hoptrace::otlp
