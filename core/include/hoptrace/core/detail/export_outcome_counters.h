#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "hoptrace/core/sdk/span_exporter.h"
#include "hoptrace/core/sdk/span_processor.h"

namespace hoptrace::detail {

/// What became of the spans a processor handed to its exporter, one lock-free counter per
/// ProcessorStats bucket. Shared by the SDK's processors so every one maps an ExportResult to
/// the buckets the same way.
class ExportOutcomeCounters {
 public:
  /// Counts `spans` spans exported in one call that returned `result`.
  void record(const sdk::ExportResult& result, std::uint64_t spans) noexcept {
    switch (result.status) {
      case sdk::ExportResult::Status::kSuccess: {
        // Partial success: the receiver took the request but refused some spans.
        const std::uint64_t rejected = std::min(result.rejected_spans, spans);
        exported_.fetch_add(spans - rejected, std::memory_order_relaxed);
        rejected_.fetch_add(rejected, std::memory_order_relaxed);
        break;
      }
      case sdk::ExportResult::Status::kRejected:
        rejected_.fetch_add(spans, std::memory_order_relaxed);
        break;
      case sdk::ExportResult::Status::kFailed:
        failed_.fetch_add(spans, std::memory_order_relaxed);
        break;
      case sdk::ExportResult::Status::kTooLarge:
        too_large_.fetch_add(spans, std::memory_order_relaxed);
        break;
    }
  }

  /// Writes the counts into the matching buckets of `stats`.
  void fill(sdk::ProcessorStats& stats) const noexcept {
    stats.exported = exported_.load(std::memory_order_relaxed);
    stats.dropped_rejected = rejected_.load(std::memory_order_relaxed);
    stats.dropped_failed = failed_.load(std::memory_order_relaxed);
    stats.dropped_too_large = too_large_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<std::uint64_t> exported_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> too_large_{0};
};

}  // namespace hoptrace::detail
