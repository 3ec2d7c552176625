#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "hoptrace/core/sdk/span_exporter.h"
#include "hoptrace/otlp/otlp_http_exporter_options.h"

namespace hoptrace::otlp {

/// What an OtlpHttpExporter has done since it was created. Each span given to export_spans
/// ends in exactly one of the spans_* counters.
struct OtlpHttpExporterStats {
  std::uint64_t export_calls = 0;    ///< export_spans calls
  std::uint64_t requests = 0;        ///< HTTP requests sent, retries included
  std::uint64_t retries = 0;         ///< requests after the first of an export
  std::uint64_t bytes_sent = 0;      ///< request bodies as sent (after compression)
  std::uint64_t spans_exported = 0;  ///< accepted by the receiver
  /// Refused individually in an accepted request (OTLP partial_success.rejected_spans).
  std::uint64_t spans_partially_rejected = 0;
  std::uint64_t spans_rejected = 0;    ///< refused whole with a non-retryable status (e.g. 400)
  std::uint64_t spans_failed = 0;      ///< not delivered before the timeout, or after shutdown
  std::uint64_t spans_too_large = 0;   ///< batch over max_request_bytes (not sent) or HTTP 413
  std::uint64_t last_http_status = 0;  ///< status of the latest response, 0 if none yet
};

/// Exports spans with OTLP/HTTP (`http/protobuf` or `http/json`) to an OpenTelemetry Collector,
/// Jaeger, Tempo or any OTLP receiver. Configuration: OtlpHttpExporterOptions, which defaults
/// to the `OTEL_EXPORTER_OTLP_*` environment variables.
///
/// Behaviour (OTLP specification): one POST per export_spans call on a kept-alive connection;
/// 2xx is success, and a `partial_success` with rejected spans is logged once and counted
/// (ExportResult::rejected_spans). 429, 502, 503, 504 and connection failures are retried with
/// exponential backoff and full jitter, honouring Retry-After (seconds or HTTP date); every
/// other status is final (kRejected, or kTooLarge for 413). A batch whose encoding exceeds
/// max_request_bytes is not sent (kTooLarge). All of it, waits included, is bounded by the
/// timeout; when it passes the result is kFailed. Response bodies are read up to 4 MiB.
///
/// Threading: export_spans does blocking network I/O, so run the exporter behind a
/// BatchSpanProcessor, whose worker thread is then the only thread that waits on the network.
/// export_spans must not be called concurrently (the processor never does); stats(),
/// settings(), force_flush() and shutdown() may be called from any thread. shutdown()
/// interrupts a retry wait or a transfer in progress, which then ends as kFailed.
///
/// Failures are reported on stderr rate-limited (at most one line per kind every 10 s, with a
/// count of those suppressed), never per span.
class OtlpHttpExporter final : public sdk::SpanExporter {
 public:
  /// Resolves `options` against the environment (see OtlpHttpExporterSettings::resolve, which
  /// may throw ConfigError) and prepares the HTTP client; no connection is made yet. Throws
  /// hoptrace::Error if libcurl or zlib cannot be initialised.
  explicit OtlpHttpExporter(const OtlpHttpExporterOptions& options = {});
  ~OtlpHttpExporter() override;
  OtlpHttpExporter(const OtlpHttpExporter&) = delete;
  OtlpHttpExporter& operator=(const OtlpHttpExporter&) = delete;

  /// Encodes and sends `spans` (borrowed for the call), retrying as described above. Blocks
  /// for at most the configured timeout. Never throws.
  sdk::ExportResult export_spans(ArrayView<const sdk::SpanData*> spans) noexcept override;
  /// Nothing is buffered in the exporter: returns true at once.
  bool force_flush(sdk::Deadline deadline) noexcept override;
  /// Interrupts a wait or transfer in progress and makes later exports return kFailed.
  /// Idempotent; returns true.
  bool shutdown(sdk::Deadline deadline) noexcept override;
  /// Bounds every export in progress or to come by `deadline`, on top of the timeout: a retry
  /// that would start later is not made, and a transfer still running then is aborted (its
  /// spans count as failed). Call it when a shutdown starts, so that the last exports cannot
  /// outlast the shutdown's deadline while a receiver is down; the processor made by
  /// make_batch_processor() does. Thread-safe; a later call replaces the bound.
  void set_shutdown_deadline(sdk::Deadline deadline) noexcept;
  /// "otlp_http".
  std::string_view name() const noexcept override;

  /// A snapshot of the counters (relaxed atomics).
  OtlpHttpExporterStats stats() const noexcept;
  /// The resolved configuration; lives as long as the exporter.
  const OtlpHttpExporterSettings& settings() const noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hoptrace::otlp
