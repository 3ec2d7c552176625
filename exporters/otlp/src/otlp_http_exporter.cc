#include "hoptrace/otlp/otlp_http_exporter.h"

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

#include "curl_http_client.h"
#include "env.h"
#include "gzip_compressor.h"
#include "hoptrace/core/error.h"
#include "hoptrace/core/sdk/otlp_json.h"
#include "hoptrace/otlp/otlp_protobuf.h"
#include "otlp_response.h"

namespace hoptrace::otlp {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A buffer that grew for one unusually large batch is given back instead of pinning memory.
constexpr std::size_t kRetainedBufferBytes = 8u << 20;
constexpr auto kLogInterval = std::chrono::seconds(10);
constexpr auto kMinAttemptTime = std::chrono::milliseconds(5);

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

}  // namespace

class OtlpHttpExporter::Impl {
 public:
  explicit Impl(const OtlpHttpExporterOptions& options)
      : settings_(OtlpHttpExporterSettings::resolve(options)),
        client_(settings_, &shutdown_, &shutdown_deadline_) {
    if (settings_.compression == OtlpCompression::kGzip) {
      gzip_ = std::make_unique<GzipCompressor>();
    }
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
  HttpAttempt perform(std::string_view payload, Clock::time_point deadline) noexcept {
    const HttpAttempt a = client_.post(payload, deadline);
    requests_.fetch_add(1, std::memory_order_relaxed);
    bytes_sent_.fetch_add(payload.size(), std::memory_order_relaxed);
    if (a.status != 0) {
      last_http_status_.store(static_cast<std::uint64_t>(a.status), std::memory_order_relaxed);
    }
    return a;
  }

  std::string describe(const HttpAttempt& a) const {
    if (a.failure != HttpAttempt::Failure::kNone &&
        a.failure != HttpAttempt::Failure::kResponseTooLarge) {
      return client_.error_text();
    }
    std::string d = "HTTP " + std::to_string(a.status);
    const std::string message = parse_status_message(client_.response_body(), settings_.protocol);
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
      const HttpAttempt a = perform(payload, deadline);
      const bool got_response = a.failure == HttpAttempt::Failure::kNone ||
                                a.failure == HttpAttempt::Failure::kResponseTooLarge;
      if (got_response && a.status >= 200 && a.status < 300) return on_success(a, n);
      try {
        if (got_response && a.status == 413) {
          spans_too_large_.fetch_add(n, std::memory_order_relaxed);
          log(RateLimitedLog::kTooLarge, std::to_string(n) + " spans dropped: the receiver at " +
                                             settings_.url + " answered " + describe(a) +
                                             "; lower OTEL_BSP_MAX_EXPORT_BATCH_SIZE");
          return {Status::kTooLarge, 0};
        }
        const bool retryable = got_response ? is_retryable_status(a.status)
                                            : a.failure == HttpAttempt::Failure::kConnection;
        if (!retryable) {
          if (got_response) {
            spans_rejected_.fetch_add(n, std::memory_order_relaxed);
            log(RateLimitedLog::kRejected, std::to_string(n) + " spans dropped: the receiver at " +
                                               settings_.url + " answered " + describe(a) +
                                               " (not retried)");
            return {Status::kRejected, 0};
          }
          spans_failed_.fetch_add(n, std::memory_order_relaxed);
          const bool aborted = a.failure == HttpAttempt::Failure::kAborted;
          if (aborted && !shutdown_.load(std::memory_order_acquire)) {
            log(RateLimitedLog::kFailed, std::to_string(n) + " spans dropped: export to " +
                                             settings_.url +
                                             " was still running at the shutdown deadline");
          } else if (!aborted) {
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

  sdk::ExportResult on_success(const HttpAttempt& a, std::uint64_t n) noexcept {
    sdk::ExportResult result;
    if (a.failure == HttpAttempt::Failure::kNone) {
      if (auto partial = parse_partial_success(client_.response_body(), settings_.protocol)) {
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

  // shutdown_ and shutdown_deadline_ are read by client_'s transfer: declared before it.
  std::atomic<bool> shutdown_{false};
  std::atomic<Clock::rep> shutdown_deadline_{Clock::time_point::max().time_since_epoch().count()};
  const OtlpHttpExporterSettings settings_;
  CurlHttpClient client_;
  std::unique_ptr<GzipCompressor> gzip_;
  ProtobufEncoder encoder_;
  std::string body_;
  std::string compressed_;
  std::mt19937_64 rng_;
  RateLimitedLog log_;

  std::mutex wait_mutex_;
  std::condition_variable wait_cv_;

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
