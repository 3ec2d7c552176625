#pragma once

// The HTTP side of the OTLP exporter: one libcurl easy handle (one kept-alive connection)
// POSTing request bodies. Private to hoptrace::otlp. It keeps libcurl out of the exporter:
// only curl_http_client.cc (and otlp_response.cc, for curl_getdate) include curl.h.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hoptrace/otlp/otlp_http_exporter_options.h"

namespace hoptrace::otlp {

/// The outcome of one POST.
struct HttpAttempt {
  enum class Failure : std::uint8_t {
    kNone,              ///< a complete response (any status) was read
    kConnection,        ///< no usable response: refused, reset, DNS, timeout (retryable)
    kAborted,           ///< the abort condition stopped the transfer
    kResponseTooLarge,  ///< the response body exceeded 4 MiB; status is still known
    kOther,             ///< TLS verification, bad URL, out of memory... (not retryable)
  };
  Failure failure = Failure::kNone;
  long status = 0;  ///< HTTP status, 0 when none was received
  std::optional<std::chrono::milliseconds> retry_after;
};

/// Not thread-safe except where noted: post() is called by one thread at a time.
class CurlHttpClient {
 public:
  using Clock = std::chrono::steady_clock;

  /// Prepares the handle for `settings` (URL, headers, TLS files, User-Agent). A transfer in
  /// progress is aborted when `*abort` becomes true or the steady clock reaches `*abort_at`
  /// (ticks of Clock::duration); both must outlive the client. Throws hoptrace::Error (or
  /// ConfigError for a URL libcurl refuses).
  CurlHttpClient(const OtlpHttpExporterSettings& settings, const std::atomic<bool>* abort,
                 const std::atomic<Clock::rep>* abort_at);
  ~CurlHttpClient();
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  /// POSTs `body` (borrowed for the call) and waits for the response, at most until
  /// `deadline`. Never throws.
  HttpAttempt post(std::string_view body, Clock::time_point deadline) noexcept;

  /// The body of the last response (at most 4 MiB); valid until the next post().
  std::string_view response_body() const noexcept;
  /// What went wrong in the last post() that failed, in libcurl's words.
  std::string error_text() const;

  /// The curl handles and what libcurl's callbacks write; defined in the .cc.
  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace hoptrace::otlp
