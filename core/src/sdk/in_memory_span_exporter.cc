#include "hoptrace/core/sdk/in_memory_span_exporter.h"

namespace hoptrace::sdk {

std::vector<SpanData> InMemorySpanStore::finished_spans() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return spans_;
}

std::optional<SpanData> InMemorySpanStore::find(std::string_view name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const SpanData& s : spans_) {
    if (s.name == name) return s;
  }
  return std::nullopt;
}

std::vector<SpanData> InMemorySpanStore::find_all(std::string_view name) const {
  std::vector<SpanData> result;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const SpanData& s : spans_) {
    if (s.name == name) result.push_back(s);
  }
  return result;
}

std::size_t InMemorySpanStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return spans_.size();
}

std::uint64_t InMemorySpanStore::dropped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

void InMemorySpanStore::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  spans_.clear();
}

std::uint64_t InMemorySpanStore::add(ArrayView<const SpanData*> spans) noexcept {
  std::uint64_t lost = 0;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const SpanData* s : spans) {
    if (s == nullptr) continue;
    if (capacity_ != 0 && spans_.size() >= capacity_) {
      ++lost;
      continue;
    }
    try {
      spans_.push_back(*s);
    } catch (...) {  // out of memory: counted like a capacity drop
      ++lost;
    }
  }
  dropped_ += lost;
  return lost;
}

InMemorySpanExporter::InMemorySpanExporter(std::size_t capacity)
    : store_(std::make_shared<InMemorySpanStore>(capacity)) {}

ExportResult InMemorySpanExporter::export_spans(ArrayView<const SpanData*> spans) noexcept {
  if (shut_down_.load(std::memory_order_acquire)) {
    return ExportResult{ExportResult::Status::kFailed, 0};
  }
  ExportResult result;
  result.rejected_spans = store_->add(spans);
  return result;
}

bool InMemorySpanExporter::shutdown(Deadline deadline) noexcept {
  (void)deadline;
  shut_down_.store(true, std::memory_order_release);
  return true;
}

}  // namespace hoptrace::sdk
