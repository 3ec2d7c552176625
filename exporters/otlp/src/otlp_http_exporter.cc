#include "hoptrace/otlp/otlp_http_exporter.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <new>
#include <random>
#include <string>

#include "env.h"
#include "gzip_compressor.h"
#include "hoptrace/core/detail/hex.h"
#include "hoptrace/core/error.h"
#include "hoptrace/core/sdk/otlp_json.h"
#include "hoptrace/otlp/otlp_protobuf.h"
#include "otlp_response.h"

#ifndef HOPTRACE_VERSION
#define HOPTRACE_VERSION "0.0.0"
#endif

namespace hoptrace::otlp {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kMaxResponseBytes = 4u << 20;
// A buffer that grew for one unusually large batch is given back instead of pinning memory.
constexpr std::size_t kRetainedBufferBytes = 8u << 20;
constexpr auto kLogInterval = std::chrono::seconds(10);
constexpr auto kMinAttemptTime = std::chrono::milliseconds(5);

struct CurlEasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

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

std::uint64_t count_spans(ArrayView<const sdk::SpanData*> spans) noexcept {
  std::uint64_t n = 0;
  for (const sdk::SpanData* s : spans) n += s != nullptr ? 1 : 0;
  return n;
}

// Diagnostics are per export, not per span, and still rate-limited: a receiver that is down
// for an hour must not flood stderr.
class RateLimitedLog {
 public:
  enum Kind : std::size_t { kRejected, kFailed, kTooLarge, kPartial, kKinds };

  /// True when a line of `kind` may be written now; `suppressed` receives how many were
  /// skipped since the last one.
  bool admit(Kind kind, std::uint64_t* suppressed) noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = Clock::now();
    Slot& slot = slots_[kind];
    if (slot.logged && now - slot.last < kLogInterval) {
      ++slot.suppressed;
      return false;
    }
    slot.logged = true;
    slot.last = now;
    *suppressed = slot.suppressed;
    slot.suppressed = 0;
    return true;
  }

 private:
  struct Slot {
    bool logged = false;
    Clock::time_point last{};
    std::uint64_t suppressed = 0;
  };
  std::mutex mutex_;
  std::array<Slot, kKinds> slots_{};
};

struct Attempt {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::optional<milliseconds> retry_after;
};

}  // namespace

class OtlpHttpExporter::Impl {
 public:
  explicit Impl(const OtlpHttpExporterOptions& options)
      : settings_(OtlpHttpExporterSettings::resolve(options)) {
    ensure_curl_global_init();
    if (settings_.compression == OtlpCompression::kGzip) {
      gzip_ = std::make_unique<GzipCompressor>();
    }
    curl_.reset(curl_easy_init());
    if (!curl_) throw Error("hoptrace otlp: curl_easy_init failed (out of memory?)");
    build_headers();
    configure_handle();
    std::random_device seed_source;
    rng_.seed((static_cast<std::uint64_t>(seed_source()) << 32) ^ seed_source());
  }

  sdk::ExportResult export_spans(ArrayView<const sdk::SpanData*> spans) noexcept {
    using Status = sdk::ExportResult::Status;
    export_calls_.fetch_add(1, std::memory_order_relaxed);
    const std::uint64_t n = count_spans(spans);
    if (shutdown_.load(std::memory_order_acquire)) {
      spans_failed_.fetch_add(n, std::memory_order_relaxed);
      return {Status::kFailed, 0};
    }
    if (n == 0) return sdk::ExportResult::success();
    const auto deadline = std::min(Clock::now() + settings_.timeout, shutdown_deadline());

    std::string_view payload;
    try {
      body_.clear();
      if (settings_.protocol == OtlpProtocol::kHttpJson) {
        sdk::encode_otlp_json(spans, body_);
      } else {
        encoder_.encode(spans, body_);
      }
      if (body_.size() > settings_.max_request_bytes) {
        spans_too_large_.fetch_add(n, std::memory_order_relaxed);
        log(RateLimitedLog::kTooLarge,
            "not sending " + std::to_string(n) + " spans: the encoded request is " +
                std::to_string(body_.size()) + " bytes, over the limit of " +
                std::to_string(settings_.max_request_bytes) +
                "; lower the batch size (OTEL_BSP_MAX_EXPORT_BATCH_SIZE) or the span limits");
        release_large_buffers();
        return {Status::kTooLarge, 0};
      }
      payload = body_;
      if (gzip_) {
        if (!gzip_->compress(body_, compressed_)) {
          spans_failed_.fetch_add(n, std::memory_order_relaxed);
          log(RateLimitedLog::kFailed,
              std::to_string(n) + " spans dropped: gzip compression failed");
          return {Status::kFailed, 0};
        }
        payload = compressed_;
      }
    } catch (const std::bad_alloc&) {
      spans_failed_.fetch_add(n, std::memory_order_relaxed);
      log(RateLimitedLog::kFailed,
          std::to_string(n) + " spans dropped: out of memory encoding the request");
      return {Status::kFailed, 0};
    }

    const sdk::ExportResult result = send_with_retries(payload, n, deadline);
    release_large_buffers();
    return result;
  }

  bool shutdown() noexcept {
    {
      std::lock_guard<std::mutex> lock(wait_mutex_);
      shutdown_.store(true, std::memory_order_release);
    }
    wait_cv_.notify_all();
    return true;
  }

  void set_shutdown_deadline(Clock::time_point deadline) noexcept {
    {
      std::lock_guard<std::mutex> lock(wait_mutex_);
      shutdown_deadline_.store(deadline.time_since_epoch().count(), std::memory_order_release);
    }
    wait_cv_.notify_all();
  }

  Clock::time_point shutdown_deadline() const noexcept {
    return Clock::time_point(Clock::duration(shutdown_deadline_.load(std::memory_order_acquire)));
  }

  OtlpHttpExporterStats stats() const noexcept {
    OtlpHttpExporterStats s;
    s.export_calls = export_calls_.load(std::memory_order_relaxed);
    s.requests = requests_.load(std::memory_order_relaxed);
    s.retries = retries_.load(std::memory_order_relaxed);
    s.bytes_sent = bytes_sent_.load(std::memory_order_relaxed);
    s.spans_exported = spans_exported_.load(std::memory_order_relaxed);
    s.spans_partially_rejected = spans_partially_rejected_.load(std::memory_order_relaxed);
    s.spans_rejected = spans_rejected_.load(std::memory_order_relaxed);
    s.spans_failed = spans_failed_.load(std::memory_order_relaxed);
    s.spans_too_large = spans_too_large_.load(std::memory_order_relaxed);
    s.last_http_status = last_http_status_.load(std::memory_order_relaxed);
    return s;
  }

  const OtlpHttpExporterSettings& settings() const noexcept { return settings_; }

 private:
  void build_headers() {
    const auto append = [this](const std::string& line) {
      curl_slist* next = curl_slist_append(headers_.get(), line.c_str());
      if (next == nullptr) throw Error("hoptrace otlp: out of memory building HTTP headers");
      if (!headers_) headers_.reset(next);
    };
    append(settings_.protocol == OtlpProtocol::kHttpJson ? "Content-Type: application/json"
                                                         : "Content-Type: application/x-protobuf");
    if (settings_.compression == OtlpCompression::kGzip) append("Content-Encoding: gzip");
    // Without this curl sends "Expect: 100-continue" for large bodies and waits a round trip
    // for a go-ahead that OTLP receivers do not need to give.
    append("Expect:");
    for (const OtlpHeader& h : settings_.headers) {
      // "Name;" is curl's way to send a header with an empty value.
      append(h.value.empty() ? h.name + ";" : h.name + ": " + h.value);
    }
  }

  void configure_handle() {
    CURL* h = curl_.get();
    const std::string user_agent =
        "hoptrace/" HOPTRACE_VERSION " OTel-OTLP-Exporter-Cpp/" HOPTRACE_VERSION;
    CURLcode rc = curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
    if (rc != CURLE_OK) {
      throw ConfigError("hoptrace otlp: libcurl rejects the endpoint URL '" + settings_.url +
                            "': " + curl_easy_strerror(rc),
                        static_cast<int>(rc));
    }
#if LIBCURL_VERSION_NUM >= 0x075500
    rc = curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    rc =
        curl_easy_setopt(h, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    if (rc != CURLE_OK) throw Error("hoptrace otlp: this libcurl cannot speak http(s)", rc);
    curl_easy_setopt(h, CURLOPT_USERAGENT, user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers_.get());
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer_.data());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &Impl::on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &Impl::on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &Impl::on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, this);
    if (!settings_.certificate_file.empty()) {
      curl_easy_setopt(h, CURLOPT_CAINFO, settings_.certificate_file.c_str());
    }
    if (!settings_.client_certificate_file.empty()) {
      curl_easy_setopt(h, CURLOPT_SSLCERT, settings_.client_certificate_file.c_str());
    }
    if (!settings_.client_key_file.empty()) {
      curl_easy_setopt(h, CURLOPT_SSLKEY, settings_.client_key_file.c_str());
    }
  }

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    const std::size_t n = size * count;
    // Returning less than n makes curl stop with CURLE_WRITE_ERROR: over 4 MiB is not read.
    if (self->response_.size() + n > kMaxResponseBytes) return 0;
    try {
      self->response_.append(data, n);
    } catch (...) {
      return 0;
    }
    return n;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    const std::size_t n = size * count;
    const std::string_view line(data, n);
    // A new status line starts a new response (after an interim 1xx): forget the old headers.
    if (detail::starts_with_ignore_case(line, "HTTP/")) {
      self->retry_after_header_.reset();
    } else if (detail::starts_with_ignore_case(line, "retry-after:")) {
      self->retry_after_header_ =
          parse_retry_after(line.substr(12), std::chrono::system_clock::now());
    }
    return n;
  }

  static int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    // A non-zero return aborts the transfer (CURLE_ABORTED_BY_CALLBACK): shutdown does not wait
    // for a slow receiver.
    const auto* self = static_cast<Impl*>(user);
    return self->shutdown_.load(std::memory_order_acquire) ||
                   Clock::now() >= self->shutdown_deadline()
               ? 1
               : 0;
  }

  Attempt perform(std::string_view payload, Clock::time_point deadline) noexcept {
    Attempt a;
    CURL* h = curl_.get();
    const auto remaining = std::max<std::int64_t>(
        1, std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count());
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(remaining));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(remaining));
    response_.clear();
    retry_after_header_.reset();
    error_buffer_[0] = '\0';
    a.code = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    a.status = status;
    a.retry_after = retry_after_header_;
    requests_.fetch_add(1, std::memory_order_relaxed);
    bytes_sent_.fetch_add(payload.size(), std::memory_order_relaxed);
    if (status != 0)
      last_http_status_.store(static_cast<std::uint64_t>(status), std::memory_order_relaxed);
    return a;
  }

  std::string describe(const Attempt& a) const {
    if (a.code != CURLE_OK) {
      std::string d = curl_easy_strerror(a.code);
      if (error_buffer_[0] != '\0') d.append(" (").append(error_buffer_.data()).append(")");
      return d;
    }
    std::string d = "HTTP " + std::to_string(a.status);
    const std::string message = parse_status_message(response_, settings_.protocol);
    if (!message.empty()) d.append(" (").append(message).append(")");
    return d;
  }

  sdk::ExportResult send_with_retries(std::string_view payload, std::uint64_t n,
                                      Clock::time_point deadline) noexcept {
    using Status = sdk::ExportResult::Status;
    double backoff_ms = static_cast<double>(settings_.retry.initial_backoff.count());
    const auto started = Clock::now();
    for (int attempt = 1;; ++attempt) {
      if (attempt > 1) retries_.fetch_add(1, std::memory_order_relaxed);
      deadline = std::min(deadline, shutdown_deadline());
      if (attempt == 1 && Clock::now() >= deadline) {
        // Batches still queued when a shutdown's deadline has passed are not attempted.
        spans_failed_.fetch_add(n, std::memory_order_relaxed);
        try {
          log(RateLimitedLog::kFailed, std::to_string(n) +
                                           " spans dropped: not sent, the shutdown deadline "
                                           "had passed");
        } catch (...) {
        }
        return {Status::kFailed, 0};
      }
      const Attempt a = perform(payload, deadline);
      const bool got_response =
          a.code == CURLE_OK || (a.code == CURLE_WRITE_ERROR && a.status != 0);
      if (got_response && a.status >= 200 && a.status < 300) return on_success(a, n);
      try {
        if (got_response && a.status == 413) {
          spans_too_large_.fetch_add(n, std::memory_order_relaxed);
          log(RateLimitedLog::kTooLarge, std::to_string(n) + " spans dropped: the receiver at " +
                                             settings_.url + " answered " + describe(a) +
                                             "; lower OTEL_BSP_MAX_EXPORT_BATCH_SIZE");
          return {Status::kTooLarge, 0};
        }
        const bool retryable =
            got_response ? is_retryable_status(a.status) : is_connection_failure(a.code);
        if (!retryable) {
          if (got_response) {
            spans_rejected_.fetch_add(n, std::memory_order_relaxed);
            log(RateLimitedLog::kRejected, std::to_string(n) + " spans dropped: the receiver at " +
                                               settings_.url + " answered " + describe(a) +
                                               " (not retried)");
            return {Status::kRejected, 0};
          }
          spans_failed_.fetch_add(n, std::memory_order_relaxed);
          if (a.code == CURLE_ABORTED_BY_CALLBACK && !shutdown_.load(std::memory_order_acquire)) {
            log(RateLimitedLog::kFailed, std::to_string(n) + " spans dropped: export to " +
                                             settings_.url +
                                             " was still running at the shutdown deadline");
          } else if (a.code != CURLE_ABORTED_BY_CALLBACK) {
            log(RateLimitedLog::kFailed, std::to_string(n) + " spans dropped: export to " +
                                             settings_.url + " failed: " + describe(a) +
                                             " (not retried)");
          }
          return {Status::kFailed, 0};
        }
        milliseconds wait = a.retry_after.value_or(milliseconds(0));
        if (!a.retry_after) {
          std::uniform_real_distribution<double> jitter(0.0, backoff_ms);
          wait = milliseconds(static_cast<std::int64_t>(jitter(rng_)));
        }
        backoff_ms = std::min(backoff_ms * settings_.retry.multiplier,
                              static_cast<double>(settings_.retry.max_backoff.count()));
        const auto resume = Clock::now() + wait;
        // An attempt left with a few milliseconds could not finish a round trip: give up.
        if (deadline - resume < kMinAttemptTime || !sleep_until(resume)) {
          spans_failed_.fetch_add(n, std::memory_order_relaxed);
          if (!shutdown_.load(std::memory_order_acquire)) {
            const auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
            log(RateLimitedLog::kFailed,
                std::to_string(n) + " spans dropped: export to " + settings_.url +
                    " failed after " + std::to_string(attempt) + " attempt(s) in " +
                    std::to_string(elapsed.count()) + " ms: " + describe(a) +
                    " (the export timeout, OTEL_EXPORTER_OTLP_TIMEOUT=" +
                    std::to_string(settings_.timeout.count()) + " ms, bounds the retries)");
          }
          return {Status::kFailed, 0};
        }
      } catch (...) {
        // Only formatting a diagnostic can throw here (bad_alloc): the spans are lost either way.
        spans_failed_.fetch_add(n, std::memory_order_relaxed);
        return {Status::kFailed, 0};
      }
    }
  }

  sdk::ExportResult on_success(const Attempt& a, std::uint64_t n) noexcept {
    sdk::ExportResult result;
    if (a.code == CURLE_OK) {
      if (auto partial = parse_partial_success(response_, settings_.protocol)) {
        const std::uint64_t rejected =
            partial->rejected_spans <= 0
                ? 0
                : std::min<std::uint64_t>(n, static_cast<std::uint64_t>(partial->rejected_spans));
        result.rejected_spans = rejected;
        if (rejected != 0 || !partial->error_message.empty()) {
          try {
            log(RateLimitedLog::kPartial,
                "the receiver at " + settings_.url + " accepted the request but rejected " +
                    std::to_string(rejected) + " of " + std::to_string(n) + " spans" +
                    (partial->error_message.empty() ? std::string()
                                                    : ": " + partial->error_message));
          } catch (...) {
          }
        }
      }
    }
    spans_partially_rejected_.fetch_add(result.rejected_spans, std::memory_order_relaxed);
    spans_exported_.fetch_add(n - result.rejected_spans, std::memory_order_relaxed);
    return result;
  }

  // False when shutdown interrupted the wait, or a shutdown deadline set meanwhile comes before
  // its end (the retry could not be made in time anyway).
  bool sleep_until(Clock::time_point until) {
    std::unique_lock<std::mutex> lock(wait_mutex_);
    return !wait_cv_.wait_until(lock, until, [this, until] {
      return shutdown_.load(std::memory_order_acquire) || shutdown_deadline() <= until;
    });
  }

  void log(RateLimitedLog::Kind kind, const std::string& message) {
    std::uint64_t suppressed = 0;
    if (!log_.admit(kind, &suppressed)) return;
    std::string line = "otlp: " + message;
    if (suppressed != 0) {
      line.append(" [" + std::to_string(suppressed) + " similar message(s) suppressed]");
    }
    env::warn(line);
  }

  void release_large_buffers() noexcept {
    if (body_.capacity() > kRetainedBufferBytes) std::string().swap(body_);
    if (compressed_.capacity() > kRetainedBufferBytes) std::string().swap(compressed_);
  }

  const OtlpHttpExporterSettings settings_;
  CurlSlist headers_;
  CurlEasy curl_;
  std::unique_ptr<GzipCompressor> gzip_;
  ProtobufEncoder encoder_;
  std::string body_;
  std::string compressed_;
  std::string response_;
  std::optional<milliseconds> retry_after_header_;
  std::array<char, CURL_ERROR_SIZE> error_buffer_{};
  std::mt19937_64 rng_;
  RateLimitedLog log_;

  std::mutex wait_mutex_;
  std::condition_variable wait_cv_;
  std::atomic<bool> shutdown_{false};
  std::atomic<Clock::rep> shutdown_deadline_{Clock::time_point::max().time_since_epoch().count()};

  std::atomic<std::uint64_t> export_calls_{0};
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> retries_{0};
  std::atomic<std::uint64_t> bytes_sent_{0};
  std::atomic<std::uint64_t> spans_exported_{0};
  std::atomic<std::uint64_t> spans_partially_rejected_{0};
  std::atomic<std::uint64_t> spans_rejected_{0};
  std::atomic<std::uint64_t> spans_failed_{0};
  std::atomic<std::uint64_t> spans_too_large_{0};
  std::atomic<std::uint64_t> last_http_status_{0};
};

OtlpHttpExporter::OtlpHttpExporter(const OtlpHttpExporterOptions& options)
    : impl_(std::make_unique<Impl>(options)) {}

OtlpHttpExporter::~OtlpHttpExporter() = default;

sdk::ExportResult OtlpHttpExporter::export_spans(ArrayView<const sdk::SpanData*> spans) noexcept {
  return impl_->export_spans(spans);
}

bool OtlpHttpExporter::force_flush(sdk::Deadline deadline) noexcept {
  (void)deadline;
  return true;
}

bool OtlpHttpExporter::shutdown(sdk::Deadline deadline) noexcept {
  (void)deadline;
  return impl_->shutdown();
}

void OtlpHttpExporter::set_shutdown_deadline(sdk::Deadline deadline) noexcept {
  impl_->set_shutdown_deadline(deadline);
}

std::string_view OtlpHttpExporter::name() const noexcept { return "otlp_http"; }

OtlpHttpExporterStats OtlpHttpExporter::stats() const noexcept { return impl_->stats(); }

const OtlpHttpExporterSettings& OtlpHttpExporter::settings() const noexcept {
  return impl_->settings();
}

}  // namespace hoptrace::otlp
