#pragma once

#include <cstdint>
#include <memory>

#include "hoptrace/core/context.h"
#include "hoptrace/core/sdk/span_data.h"
#include "hoptrace/core/sdk/span_exporter.h"

namespace hoptrace::sdk {

/// What a processor did with the spans it was given; every span ends in exactly one bucket.
struct ProcessorStats {
  std::uint64_t exported = 0;         ///< accepted by the exporter
  std::uint64_t dropped_queue_full = 0;
  std::uint64_t dropped_rejected = 0;  ///< refused by the receiver (incl. partial success)
  std::uint64_t dropped_failed = 0;    ///< export failed after retries
  std::uint64_t dropped_too_large = 0;
  std::uint64_t dropped_shutdown = 0;  ///< ended after shutdown
  std::uint64_t dropped() const noexcept {
    return dropped_queue_full + dropped_rejected + dropped_failed + dropped_too_large +
           dropped_shutdown;
  }
};

/// Receives spans as they start and end. on_start and on_end run on the thread that started
/// or ended the span and must not block on I/O.
class SpanProcessor {
 public:
  virtual ~SpanProcessor() = default;
  virtual void on_start(SpanData& span, const Context& parent) noexcept {
    (void)span;
    (void)parent;
  }
  /// False when on_start does nothing, so the SDK can skip the call (and building the parent
  /// Context it takes) on every span start. Read once, when the processor is added to a
  /// provider. Processors that override on_start must leave this true (the default).
  virtual bool needs_on_start() const noexcept { return true; }
  /// Takes ownership of a finished span.
  virtual void on_end(std::unique_ptr<SpanData> span) noexcept = 0;
  /// Exports everything received so far; true when done before `deadline`.
  virtual bool force_flush(Deadline deadline) noexcept = 0;
  /// Flushes, then stops; later spans are dropped and counted.
  virtual bool shutdown(Deadline deadline) noexcept = 0;
  virtual ProcessorStats stats() const noexcept = 0;
};

}  // namespace hoptrace::sdk
