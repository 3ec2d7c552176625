#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>

#include "hoptrace/core/sdk/span_exporter.h"
#include "hoptrace/core/sdk/span_processor.h"

namespace hoptrace::sdk {

/// Tuning of a BatchSpanProcessor. A field set here wins; an unset one comes from the
/// environment (OTEL_BSP_*), else from the OpenTelemetry default.
struct BatchSpanProcessorOptions {
  /// Longest time a span waits in the queue before export. OTEL_BSP_SCHEDULE_DELAY, 5000 ms.
  std::optional<std::chrono::milliseconds> schedule_delay;
  /// Bound for the exporter's force_flush and shutdown calls made by the worker, and for the
  /// destructor's shutdown. Each export_spans call is bounded by the exporter's own timeout
  /// (e.g. OTEL_EXPORTER_OTLP_TIMEOUT), since the exporter interface takes no deadline.
  /// OTEL_BSP_EXPORT_TIMEOUT, 30000 ms.
  std::optional<std::chrono::milliseconds> export_timeout;
  /// Spans that can wait for export; more are dropped (dropped_queue_full).
  /// OTEL_BSP_MAX_QUEUE_SIZE, 2048.
  std::optional<std::size_t> max_queue_size;
  /// Spans per export call; clamped to max_queue_size. OTEL_BSP_MAX_EXPORT_BATCH_SIZE, 512.
  std::optional<std::size_t> max_export_batch_size;
};

/// The values a BatchSpanProcessor runs with, every field resolved.
struct BatchSpanProcessorSettings {
  std::chrono::milliseconds schedule_delay{5000};   ///< see BatchSpanProcessorOptions
  std::chrono::milliseconds export_timeout{30000};  ///< see BatchSpanProcessorOptions
  std::size_t max_queue_size = 2048;                ///< see BatchSpanProcessorOptions
  std::size_t max_export_batch_size = 512;          ///< never above max_queue_size

  /// Resolves `options` against the environment. Environment values that are not positive
  /// integers are ignored with one warning each on stderr (a batch size above the queue size
  /// is clamped, with a warning). Throws ConfigError when a value given in code is zero.
  static BatchSpanProcessorSettings resolve(const BatchSpanProcessorOptions& options);
};

/// The production span processor: on_end only enqueues; one worker thread owned by the
/// processor exports batches, so all exporter I/O happens there and never on a thread that
/// ends a span.
///
/// Hot path: on_end pushes the span pointer into a bounded lock-free ring (no mutex, no
/// allocation, no syscall). The worker is woken through a condition variable only when the
/// queue reaches max_export_batch_size (one producer notifies per batch); otherwise it wakes
/// every schedule_delay. A full queue drops the new span (dropped_queue_full), never blocks.
///
/// Accounting: every span handed to on_end ends in exactly one ProcessorStats bucket, once it
/// has left the queue: exported, dropped_rejected (kRejected, and a success's rejected_spans),
/// dropped_failed, dropped_too_large, dropped_queue_full, or dropped_shutdown (ended after
/// shutdown, or still queued when a shutdown's deadline passed).
///
/// Thread-safety: every method may be called from any thread. The exporter is called from the
/// worker thread only (and from shutdown(), after the worker has stopped), never concurrently.
///
/// @warning Fork safety is out of scope: after fork() the child has no worker thread and its
/// processor must not be used (spans would queue and never be exported). Create the
/// TracerProvider after forking.
class BatchSpanProcessor final : public SpanProcessor {
 public:
  /// Takes ownership of `exporter` (not null, else ConfigError) and starts the worker thread.
  explicit BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                              const BatchSpanProcessorOptions& options = {});
  /// Shuts down if not done yet, bounded by export_timeout; if that passes, spans still queued
  /// are freed (counted dropped_shutdown) once the export in progress returns.
  ~BatchSpanProcessor() override;

  BatchSpanProcessor(const BatchSpanProcessor&) = delete;
  BatchSpanProcessor& operator=(const BatchSpanProcessor&) = delete;

  /// Enqueues the span (lock-free, never blocks); after shutdown it is dropped and counted.
  void on_end(std::unique_ptr<SpanData> span) noexcept override;
  /// False: this processor only acts when spans end.
  bool needs_on_start() const noexcept override { return false; }
  /// Every span whose on_end returned before this call is exported (or counted as dropped),
  /// and the exporter flushed, before it returns true. False when `deadline` passes first (the
  /// spans are still exported later). Blocks the caller; safe to call concurrently.
  bool force_flush(Deadline deadline) noexcept override;
  /// Exports everything queued, stops the worker, then shuts the exporter down. Idempotent:
  /// later calls return the first call's result. If `deadline` passes, the worker stops after
  /// the export in progress (this call waits for that export to return) and the spans left
  /// are counted as dropped_shutdown; the result is then false.
  bool shutdown(Deadline deadline) noexcept override;
  /// A consistent-enough snapshot (relaxed counters); exact once force_flush or shutdown
  /// has returned true and no span is ending concurrently.
  ProcessorStats stats() const noexcept override;

  /// The settings in effect.
  const BatchSpanProcessorSettings& settings() const noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hoptrace::sdk
