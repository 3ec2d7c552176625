#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

#include "hoptrace/core/array_view.h"
#include "hoptrace/core/sdk/span_data.h"

namespace hoptrace::sdk {

using Deadline = std::chrono::steady_clock::time_point;

/// Outcome of one export call.
struct ExportResult {
  enum class Status : std::uint8_t {
    kSuccess,    ///< every span accepted (minus `rejected`)
    kRejected,   ///< the receiver refused the batch permanently (e.g. HTTP 400); do not retry
    kFailed,     ///< gave up after retries (network down, 503 past the deadline)
    kTooLarge,   ///< the encoded batch exceeded the transport's limit; not sent
  };
  Status status = Status::kSuccess;
  /// Spans the receiver accepted the request for but rejected individually (OTLP partial
  /// success).
  std::uint64_t rejected_spans = 0;

  static ExportResult success() noexcept { return {}; }
};

/// Sends finished spans somewhere. Called by one processor thread at a time (never
/// concurrently), so implementations need no locking of their own for export_spans.
class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  /// Exports `spans`; they are only borrowed for the call. Never throws.
  virtual ExportResult export_spans(ArrayView<const SpanData*> spans) noexcept = 0;
  virtual bool force_flush(Deadline deadline) noexcept {
    (void)deadline;
    return true;
  }
  /// After shutdown, export_spans returns kFailed without doing anything.
  virtual bool shutdown(Deadline deadline) noexcept {
    (void)deadline;
    return true;
  }
  virtual std::string_view name() const noexcept = 0;
};

}  // namespace hoptrace::sdk
