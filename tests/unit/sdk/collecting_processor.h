#pragma once

// A SpanProcessor for tests: keeps every span it is given and counts every call.

#include <memory>
#include <mutex>
#include <vector>

#include "hoptrace/core/sdk/span_processor.h"

namespace hoptrace::sdk::testing {

class CollectingProcessor final : public SpanProcessor {
 public:
  struct Shared {
    std::mutex mutex;
    std::vector<std::unique_ptr<SpanData>> ended;
    std::vector<SpanContext> started;
    std::vector<SpanContext> start_parents;
    int flushes = 0;
    int shutdowns = 0;
    bool flush_result = true;
    ProcessorStats stats;
  };

  explicit CollectingProcessor(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  void on_start(SpanData& span, const Context& parent) noexcept override {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->started.push_back(span.context);
    shared_->start_parents.push_back(parent.span_context);
  }
  void on_end(std::unique_ptr<SpanData> span) noexcept override {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->ended.push_back(std::move(span));
  }
  bool force_flush(Deadline) noexcept override {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    ++shared_->flushes;
    return shared_->flush_result;
  }
  bool shutdown(Deadline) noexcept override {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    ++shared_->shutdowns;
    return true;
  }
  ProcessorStats stats() const noexcept override {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    return shared_->stats;
  }

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace hoptrace::sdk::testing
