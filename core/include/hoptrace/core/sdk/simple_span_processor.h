#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "hoptrace/core/detail/export_outcome_counters.h"
#include "hoptrace/core/sdk/span_exporter.h"
#include "hoptrace/core/sdk/span_processor.h"

namespace hoptrace::sdk {

/// Exports each span synchronously, on the thread that ends it, one span per export call.
///
/// @warning on_end BLOCKS for the whole export (a network round trip with an OTLP exporter) and
/// serialises all ending threads on one mutex. Use it for tests (with InMemorySpanExporter) and
/// debugging; production code wants BatchSpanProcessor.
///
/// Thread-safety: every method may be called from any thread; exports never overlap.
class SimpleSpanProcessor final : public SpanProcessor {
 public:
  /// Takes ownership of `exporter` (must not be null).
  explicit SimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter);
  /// Shuts down (flushing nothing, as nothing is ever queued) if not done already.
  ~SimpleSpanProcessor() override;

  SimpleSpanProcessor(const SimpleSpanProcessor&) = delete;
  SimpleSpanProcessor& operator=(const SimpleSpanProcessor&) = delete;

  /// Exports `span` before returning, then frees it. After shutdown the span is counted as
  /// dropped_shutdown.
  void on_end(std::unique_ptr<SpanData> span) noexcept override;
  /// False: this processor only acts when spans end.
  bool needs_on_start() const noexcept override { return false; }
  /// Forwards to the exporter's force_flush (nothing is queued here).
  bool force_flush(Deadline deadline) noexcept override;
  /// Shuts the exporter down once; later calls return true and do nothing.
  bool shutdown(Deadline deadline) noexcept override;
  /// Counters of what happened to each span (relaxed reads).
  ProcessorStats stats() const noexcept override;

 private:
  std::unique_ptr<SpanExporter> exporter_;
  std::mutex export_mutex_;  // exporters are never called concurrently
  bool shut_down_ = false;   // guarded by export_mutex_
  hoptrace::detail::ExportOutcomeCounters outcomes_;
  std::atomic<std::uint64_t> dropped_shutdown_{0};
};

}  // namespace hoptrace::sdk
