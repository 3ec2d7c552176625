#include "hoptrace/core/sdk/simple_span_processor.h"

#include <chrono>
#include <utility>

#include "hoptrace/core/error.h"
#include "hoptrace/core/sdk/span_data_pool.h"

namespace hoptrace::sdk {

SimpleSpanProcessor::SimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter)
    : exporter_(std::move(exporter)) {
  if (exporter_ == nullptr) {
    throw ConfigError("SimpleSpanProcessor needs an exporter, got nullptr");
  }
}

SimpleSpanProcessor::~SimpleSpanProcessor() {
  shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5));
}

void SimpleSpanProcessor::on_end(std::unique_ptr<SpanData> span) noexcept {
  if (span == nullptr) return;
  if (!span->context.is_sampled()) {
    // Recorded but not sampled (RECORD_ONLY): never exported.
    SpanDataPool::release(std::move(span));
    return;
  }
  std::lock_guard<std::mutex> lock(export_mutex_);
  if (shut_down_) {
    dropped_shutdown_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const SpanData* one[] = {span.get()};
  const ExportResult result = exporter_->export_spans(ArrayView<const SpanData*>(one));
  outcomes_.record(result, 1);
  SpanDataPool::release(std::move(span));
}

bool SimpleSpanProcessor::force_flush(Deadline deadline) noexcept {
  std::lock_guard<std::mutex> lock(export_mutex_);
  if (shut_down_) return true;
  return exporter_->force_flush(deadline);
}

bool SimpleSpanProcessor::shutdown(Deadline deadline) noexcept {
  std::lock_guard<std::mutex> lock(export_mutex_);
  if (shut_down_) return true;
  shut_down_ = true;
  return exporter_->shutdown(deadline);
}

ProcessorStats SimpleSpanProcessor::stats() const noexcept {
  ProcessorStats s;
  outcomes_.fill(s);
  s.dropped_shutdown = dropped_shutdown_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace hoptrace::sdk
