#pragma once

// A scriptable exporter for processor tests: records batches, returns a chosen result, and can
// hold exports at a gate so a test controls when the worker is busy.

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "hoptrace/core/sdk/span_exporter.h"

namespace hoptrace::sdk::testing {

struct ExporterState {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::vector<std::string>> batches;  // span names per export call
  std::thread::id last_thread;
  ExportResult next_result;
  bool gate_closed = false;
  int exports_entered = 0;
  std::size_t last_entered_batch_size = 0;  // spans in the export that most recently began
  int force_flushes = 0;
  int shutdowns = 0;
  bool concurrent_call_seen = false;
  bool in_export = false;

  std::size_t spans_seen() {
    std::lock_guard<std::mutex> lock(mutex);
    std::size_t n = 0;
    for (const auto& b : batches) n += b.size();
    return n;
  }
  void close_gate() {
    std::lock_guard<std::mutex> lock(mutex);
    gate_closed = true;
  }
  void open_gate() {
    std::lock_guard<std::mutex> lock(mutex);
    gate_closed = false;
    cv.notify_all();
  }
  /// Waits (up to a generous bound, to fail rather than hang) until `n` exports have begun.
  bool wait_exports_entered(int n) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(20), [&] { return exports_entered >= n; });
  }
  bool wait_spans_seen(std::size_t n) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(20), [&] {
      std::size_t seen = 0;
      for (const auto& b : batches) seen += b.size();
      return seen >= n;
    });
  }
};

class TestExporter final : public SpanExporter {
 public:
  explicit TestExporter(std::shared_ptr<ExporterState> state) : state_(std::move(state)) {}

  ExportResult export_spans(ArrayView<const SpanData*> spans) noexcept override {
    std::unique_lock<std::mutex> lock(state_->mutex);
    if (state_->in_export) state_->concurrent_call_seen = true;
    state_->in_export = true;
    ++state_->exports_entered;
    state_->last_entered_batch_size = spans.size();
    state_->cv.notify_all();
    state_->cv.wait(lock, [&] { return !state_->gate_closed; });
    std::vector<std::string> names;
    for (const SpanData* s : spans) names.push_back(s->name);
    state_->batches.push_back(std::move(names));
    state_->last_thread = std::this_thread::get_id();
    state_->in_export = false;
    state_->cv.notify_all();
    return state_->next_result;
  }
  bool force_flush(Deadline) noexcept override {
    std::lock_guard<std::mutex> lock(state_->mutex);
    ++state_->force_flushes;
    return true;
  }
  bool shutdown(Deadline) noexcept override {
    std::lock_guard<std::mutex> lock(state_->mutex);
    ++state_->shutdowns;
    return true;
  }
  std::string_view name() const noexcept override { return "test"; }

 private:
  std::shared_ptr<ExporterState> state_;
};

}  // namespace hoptrace::sdk::testing
