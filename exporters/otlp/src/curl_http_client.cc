#include "curl_http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>

#include "hoptrace/core/detail/hex.h"
#include "hoptrace/core/error.h"
#include "otlp_response.h"

#ifndef HOPTRACE_VERSION
#define HOPTRACE_VERSION "0.0.0"
#endif

namespace hoptrace::otlp {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kMaxResponseBytes = 4u << 20;

struct CurlEasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

void ensure_curl_global_init() {
  // curl_global_init is not guaranteed thread-safe on every libcurl build; once per process,
  // before the first handle, is what libcurl asks for. It is never undone: other code in the
  // process may use libcurl too.
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) {
    throw Error(std::string("hoptrace otlp: curl_global_init failed: ") + curl_easy_strerror(rc),
                static_cast<int>(rc));
  }
}

// Failures after which a new attempt may succeed: nothing usable came back from the receiver.
bool is_connection_failure(CURLcode code) noexcept {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct CurlHttpClient::State {
  // Declared so that the header list outlives the handle that points at it.
  std::unique_ptr<curl_slist, CurlSlistDeleter> headers;
  std::unique_ptr<CURL, CurlEasyDeleter> curl;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  std::string response;
  std::optional<milliseconds> retry_after;
  CURLcode last_code = CURLE_OK;
  const std::atomic<bool>* abort = nullptr;
  const std::atomic<Clock::rep>* abort_at = nullptr;
};

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* state = static_cast<CurlHttpClient::State*>(user);
  const std::size_t n = size * count;
  // Returning less than n makes curl stop with CURLE_WRITE_ERROR: over 4 MiB is not read.
  if (state->response.size() + n > kMaxResponseBytes) return 0;
  try {
    state->response.append(data, n);
  } catch (...) {
    return 0;
  }
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* state = static_cast<CurlHttpClient::State*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  // A new status line starts a new response (after an interim 1xx): forget the old headers.
  if (detail::starts_with_ignore_case(line, "HTTP/")) {
    state->retry_after.reset();
  } else if (detail::starts_with_ignore_case(line, "retry-after:")) {
    state->retry_after = parse_retry_after(line.substr(12), std::chrono::system_clock::now());
  }
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  // A non-zero return aborts the transfer (CURLE_ABORTED_BY_CALLBACK), so a shutdown does not
  // wait for a slow receiver.
  const auto* state = static_cast<const CurlHttpClient::State*>(user);
  const auto now = CurlHttpClient::Clock::now().time_since_epoch().count();
  return state->abort->load(std::memory_order_acquire) ||
                 now >= state->abort_at->load(std::memory_order_acquire)
             ? 1
             : 0;
}

}  // namespace

CurlHttpClient::CurlHttpClient(const OtlpHttpExporterSettings& settings,
                               const std::atomic<bool>* abort,
                               const std::atomic<Clock::rep>* abort_at)
    : state_(std::make_unique<State>()) {
  ensure_curl_global_init();
  State& s = *state_;
  s.abort = abort;
  s.abort_at = abort_at;
  s.curl.reset(curl_easy_init());
  if (!s.curl) throw Error("hoptrace otlp: curl_easy_init failed (out of memory?)");

  const auto append = [&s](const std::string& line) {
    curl_slist* next = curl_slist_append(s.headers.get(), line.c_str());
    if (next == nullptr) throw Error("hoptrace otlp: out of memory building HTTP headers");
    if (!s.headers) s.headers.reset(next);
  };
  append(settings.protocol == OtlpProtocol::kHttpJson ? "Content-Type: application/json"
                                                      : "Content-Type: application/x-protobuf");
  if (settings.compression == OtlpCompression::kGzip) append("Content-Encoding: gzip");
  // Without this curl sends "Expect: 100-continue" for large bodies and waits a round trip for
  // a go-ahead that OTLP receivers do not need to give.
  append("Expect:");
  for (const OtlpHeader& h : settings.headers) {
    // "Name;" is curl's way to send a header with an empty value.
    append(h.value.empty() ? h.name + ";" : h.name + ": " + h.value);
  }

  CURL* h = s.curl.get();
  CURLcode rc = curl_easy_setopt(h, CURLOPT_URL, settings.url.c_str());
  if (rc != CURLE_OK) {
    throw ConfigError("hoptrace otlp: libcurl rejects the endpoint URL '" + settings.url +
                          "': " + curl_easy_strerror(rc),
                      static_cast<int>(rc));
  }
#if LIBCURL_VERSION_NUM >= 0x075500
  rc = curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  rc = curl_easy_setopt(h, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  if (rc != CURLE_OK) throw Error("hoptrace otlp: this libcurl cannot speak http(s)", rc);
  // libcurl copies string options, so temporaries are fine here.
  const std::string user_agent =
      "hoptrace/" HOPTRACE_VERSION " OTel-OTLP-Exporter-Cpp/" HOPTRACE_VERSION;
  curl_easy_setopt(h, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, s.headers.get());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s.error_buffer.data());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &s);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &s);
  if (!settings.certificate_file.empty()) {
    curl_easy_setopt(h, CURLOPT_CAINFO, settings.certificate_file.c_str());
  }
  if (!settings.client_certificate_file.empty()) {
    curl_easy_setopt(h, CURLOPT_SSLCERT, settings.client_certificate_file.c_str());
  }
  if (!settings.client_key_file.empty()) {
    curl_easy_setopt(h, CURLOPT_SSLKEY, settings.client_key_file.c_str());
  }
}

CurlHttpClient::~CurlHttpClient() = default;

HttpAttempt CurlHttpClient::post(std::string_view body, Clock::time_point deadline) noexcept {
  State& s = *state_;
  CURL* h = s.curl.get();
  const auto remaining = std::max<std::int64_t>(
      1, std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count());
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(remaining));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(remaining));
  s.response.clear();
  s.retry_after.reset();
  s.error_buffer[0] = '\0';
  s.last_code = curl_easy_perform(h);

  HttpAttempt a;
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  a.status = status;
  a.retry_after = s.retry_after;
  if (s.last_code == CURLE_OK) {
    a.failure = HttpAttempt::Failure::kNone;
  } else if (s.last_code == CURLE_WRITE_ERROR && status != 0) {
    a.failure = HttpAttempt::Failure::kResponseTooLarge;
  } else if (s.last_code == CURLE_ABORTED_BY_CALLBACK) {
    a.failure = HttpAttempt::Failure::kAborted;
  } else if (is_connection_failure(s.last_code)) {
    a.failure = HttpAttempt::Failure::kConnection;
  } else {
    a.failure = HttpAttempt::Failure::kOther;
  }
  return a;
}

std::string_view CurlHttpClient::response_body() const noexcept { return state_->response; }

std::string CurlHttpClient::error_text() const {
  std::string text = curl_easy_strerror(state_->last_code);
  if (state_->error_buffer[0] != '\0') {
    text.append(" (").append(state_->error_buffer.data()).append(")");
  }
  return text;
}

}  // namespace hoptrace::otlp
