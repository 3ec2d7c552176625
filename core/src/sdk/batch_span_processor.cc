#include "hoptrace/core/sdk/batch_span_processor.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "hoptrace/core/detail/export_outcome_counters.h"
#include "hoptrace/core/error.h"
#include "hoptrace/core/sdk/span_data_pool.h"
#include "sdk/bounded_span_queue.h"
#include "sdk/export_env.h"

namespace hoptrace::sdk {
namespace {

using Clock = std::chrono::steady_clock;

template <typename T>
T resolve_one(const std::optional<T>& given, const char* field, const char* env_name,
              T default_value, std::uint64_t (*to_u64)(T), T (*from_u64)(std::uint64_t)) {
  if (given) {
    if (to_u64(*given) == 0) {
      throw ConfigError(std::string("BatchSpanProcessorOptions::") + field +
                        " is 0; give a positive value, or leave it unset to use " + env_name +
                        " or the default " + std::to_string(to_u64(default_value)));
    }
    return *given;
  }
  if (const auto v = export_env::positive_integer(env_name, to_u64(default_value))) {
    return from_u64(*v);
  }
  return default_value;
}

std::uint64_t ms_to_u64(std::chrono::milliseconds ms) {
  return ms.count() > 0 ? static_cast<std::uint64_t>(ms.count()) : 0;
}
std::chrono::milliseconds u64_to_ms(std::uint64_t v) {
  // Clamped so that adding the delay to steady_clock::now() cannot overflow.
  constexpr std::uint64_t kMaxMs = 1000ull * 60 * 60 * 24 * 365 * 100;
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(v, kMaxMs)));
}
std::uint64_t size_to_u64(std::size_t s) { return s; }
std::size_t u64_to_size(std::uint64_t v) {
  // A queue is an array of this many cells; anything near this limit is a typo anyway.
  constexpr std::uint64_t kMaxSize = std::uint64_t{1} << 26;
  return static_cast<std::size_t>(std::min(v, kMaxSize));
}

}  // namespace

BatchSpanProcessorSettings BatchSpanProcessorSettings::resolve(
    const BatchSpanProcessorOptions& options) {
  BatchSpanProcessorSettings s;
  s.schedule_delay = resolve_one(options.schedule_delay, "schedule_delay",
                                 "OTEL_BSP_SCHEDULE_DELAY", s.schedule_delay, ms_to_u64, u64_to_ms);
  s.export_timeout = resolve_one(options.export_timeout, "export_timeout",
                                 "OTEL_BSP_EXPORT_TIMEOUT", s.export_timeout, ms_to_u64, u64_to_ms);
  s.max_queue_size =
      resolve_one(options.max_queue_size, "max_queue_size", "OTEL_BSP_MAX_QUEUE_SIZE",
                  s.max_queue_size, size_to_u64, u64_to_size);
  s.max_export_batch_size = resolve_one(options.max_export_batch_size, "max_export_batch_size",
                                        "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", s.max_export_batch_size,
                                        size_to_u64, u64_to_size);
  if (s.max_export_batch_size > s.max_queue_size) {
    export_env::warn("max export batch size " + std::to_string(s.max_export_batch_size) +
                     " exceeds the max queue size " + std::to_string(s.max_queue_size) +
                     "; using " + std::to_string(s.max_queue_size) +
                     " (check OTEL_BSP_MAX_EXPORT_BATCH_SIZE / OTEL_BSP_MAX_QUEUE_SIZE)");
    s.max_export_batch_size = s.max_queue_size;
  }
  return s;
}

class BatchSpanProcessor::Impl {
 public:
  Impl(std::unique_ptr<SpanExporter> exporter, const BatchSpanProcessorSettings& settings)
      : settings_(settings),
        exporter_(std::move(exporter)),
        queue_(settings.max_queue_size),
        pool_reservation_(settings.max_queue_size + settings.max_export_batch_size),
        wake_at_(settings.max_export_batch_size) {
    owned_.reserve(settings_.max_export_batch_size);
    view_.reserve(settings_.max_export_batch_size);
    worker_ = std::thread([this] { run(); });
  }

  ~Impl() {
    shutdown(Clock::now() + settings_.export_timeout);
    // Spans that raced with shutdown (already counted through the queue's size) die here.
    while (SpanData* s = queue_.try_pop()) recycle(s);
  }

  // Finished records go back to the pool, so a sampled span allocates nothing in steady state
  // (and the producer's malloc does not contend with this thread's free).
  static void recycle(SpanData* span) noexcept { SpanDataPool::release(std::unique_ptr<SpanData>(span)); }

  // By reference: the caller's unique_ptr is the only one (a second, moved-into parameter cost
  // a construction and a destructor check per span). A span not taken stays with the caller.
  void on_end(std::unique_ptr<SpanData>& span) noexcept {
    if (span == nullptr) return;
    if (!span->context.is_sampled()) {
      // Recorded but not sampled (RECORD_ONLY): other processors may use it, exporters never.
      SpanDataPool::release(std::move(span));
      return;
    }
    if (shutdown_requested_.load(std::memory_order_acquire)) {
      dropped_shutdown_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    std::uint64_t position = 0;
    if (!queue_.try_push(span.get(), &position)) {
      dropped_queue_full_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    span.release();  // the queue owns it now; the worker deletes it after export
    // wake_at_ changes once per drain, so this reads a line the worker rarely writes (unlike
    // the queue's pop position, which it writes for every span).
    if (position + 1 >= wake_at_.load(std::memory_order_relaxed) &&
        !notified_.load(std::memory_order_seq_cst) &&
        !notified_.exchange(true, std::memory_order_seq_cst)) {
      // Taking the mutex orders this notify after the worker's predicate check, so the wake-up
      // cannot fall between its check and its wait.
      { std::lock_guard<std::mutex> lock(mutex_); }
      work_cv_.notify_one();
    }
  }

  bool force_flush(Deadline deadline) noexcept {
    std::unique_lock<std::mutex> lock(mutex_);
    if (stop_ || worker_done_) {
      // A shutdown is draining (or has drained) everything, which is what a flush promises.
      return done_cv_.wait_until(lock, deadline, [&] { return worker_done_; });
    }
    const std::uint64_t generation = ++flush_requested_;
    flush_target_ = std::max(flush_target_, queue_.pushed());
    flush_deadline_ = deadline;
    work_cv_.notify_one();
    return done_cv_.wait_until(lock, deadline,
                               [&] { return flush_completed_ >= generation || worker_done_; });
  }

  bool shutdown(Deadline deadline) noexcept {
    std::lock_guard<std::mutex> once(shutdown_mutex_);
    if (shutdown_done_) return shutdown_result_;
    shutdown_requested_.store(true, std::memory_order_seq_cst);
    bool drained = false;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      stop_ = true;
      work_cv_.notify_one();
      drained = done_cv_.wait_until(lock, deadline, [&] { return worker_done_; });
    }
    if (!drained) abandon_.store(true, std::memory_order_relaxed);
    if (worker_.joinable()) worker_.join();
    // Left now: spans abandoned at the deadline, and spans from on_end calls that passed the
    // shutdown check just before it was set. Both are counted, never silently lost.
    std::uint64_t left = 0;
    while (SpanData* s = queue_.try_pop()) {
      recycle(s);
      ++left;
    }
    dropped_shutdown_.fetch_add(left, std::memory_order_relaxed);
    shutdown_complete_.store(true, std::memory_order_release);
    const bool exporter_ok = exporter_->shutdown(deadline);
    shutdown_done_ = true;
    shutdown_result_ = drained && exporter_ok;
    return shutdown_result_;
  }

  ProcessorStats stats() const noexcept {
    ProcessorStats s;
    outcomes_.fill(s);
    s.dropped_queue_full = dropped_queue_full_.load(std::memory_order_relaxed);
    s.dropped_shutdown = dropped_shutdown_.load(std::memory_order_relaxed);
    // After the final drain nothing pops the queue again: whatever a late on_end still pushed
    // stays there until destruction and is a shutdown drop.
    if (shutdown_complete_.load(std::memory_order_acquire))
      s.dropped_shutdown += queue_.size_approx();
    return s;
  }

  const BatchSpanProcessorSettings& settings() const noexcept { return settings_; }

 private:
  void run() noexcept {
    Clock::time_point next_export = Clock::now() + settings_.schedule_delay;
    for (;;) {
      bool stop = false;
      std::uint64_t flush_generation = 0;
      std::uint64_t target = 0;
      Deadline flush_deadline{};
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_cv_.wait_until(lock, next_export, [&] {
          return stop_ || flush_requested_ != flush_completed_ ||
                 queue_.size_approx() >= settings_.max_export_batch_size;
        });
        stop = stop_;
        flush_generation = flush_requested_;
        target = flush_target_;
        flush_deadline = flush_deadline_;
      }
      const bool flushing = flush_generation != flush_completed_;
      const bool timer = Clock::now() >= next_export;
      if (stop) target = std::max(target, queue_.pushed());
      drain(timer || flushing || stop, (flushing || stop) ? target : 0);
      // Producers notify once the queue holds a batch beyond what is popped now. Re-armed only
      // after wake_at_ is current and before the next predicate check (under the mutex), so a
      // batch completed from here on is either seen by that check or notified.
      wake_at_.store(queue_.popped() + settings_.max_export_batch_size, std::memory_order_relaxed);
      // seq_cst pairs with the push (seq_cst CAS) and notified_ load in on_end: either the
      // worker's next check sees the push, or that producer sees notified_ false and notifies.
      notified_.store(false, std::memory_order_seq_cst);
      if (timer) next_export = Clock::now() + settings_.schedule_delay;
      if (flushing) {
        exporter_->force_flush(flush_deadline);
        std::lock_guard<std::mutex> lock(mutex_);
        flush_completed_ = flush_generation;
        done_cv_.notify_all();
      }
      if (stop) break;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    worker_done_ = true;
    done_cv_.notify_all();
  }

  // Exports full batches; with `everything`, partial ones too, until the queue is empty and at
  // least `target` spans have been popped (spans still being pushed below it are waited for).
  void drain(bool everything, std::uint64_t target) noexcept {
    const std::size_t batch = settings_.max_export_batch_size;
    for (;;) {
      if (abandon_.load(std::memory_order_relaxed)) return;
      const std::size_t available = queue_.size_approx();
      const bool below_target = queue_.popped() < target;
      if (available == 0 && !below_target) return;
      if (!everything && available < batch) return;
      owned_.clear();
      while (owned_.size() < batch) {
        SpanData* s = queue_.try_pop();
        if (s == nullptr) break;
        owned_.push_back(s);
      }
      if (owned_.empty()) {
        // The next slot is claimed by a producer still writing it: a matter of nanoseconds
        // unless that thread was preempted.
        if (!below_target) return;
        std::this_thread::yield();
        continue;
      }
      export_batch();
    }
  }

  void export_batch() noexcept {
    view_.assign(owned_.begin(), owned_.end());
    const ExportResult result = exporter_->export_spans(ArrayView<const SpanData*>(view_));
    const std::uint64_t n = owned_.size();
    outcomes_.record(result, n);
    for (SpanData* s : owned_) recycle(s);
    owned_.clear();
    view_.clear();
  }

  const BatchSpanProcessorSettings settings_;
  const std::unique_ptr<SpanExporter> exporter_;
  BoundedSpanQueue queue_;
  // Every span this processor holds (queued or being exported) goes back to the pool after
  // export; the reservation lets the pool keep them all for the spans that follow.
  const SpanDataPool::Reservation pool_reservation_;

  // Producer-side flags and counters, apart from the worker's.
  alignas(64) std::atomic<bool> shutdown_requested_{false};
  std::atomic<bool> notified_{false};
  std::atomic<std::uint64_t> wake_at_;  // push count at which a batch is waiting
  std::atomic<std::uint64_t> dropped_queue_full_{0};
  std::atomic<std::uint64_t> dropped_shutdown_{0};

  alignas(64) hoptrace::detail::ExportOutcomeCounters outcomes_;
  std::atomic<bool> abandon_{false};
  std::atomic<bool> shutdown_complete_{false};

  std::mutex mutex_;
  std::condition_variable work_cv_;  // wakes the worker
  std::condition_variable done_cv_;  // wakes flush and shutdown callers
  bool stop_ = false;                // guarded by mutex_, as are the four below
  bool worker_done_ = false;
  std::uint64_t flush_requested_ = 0;
  std::uint64_t flush_completed_ = 0;  // written by the worker only
  std::uint64_t flush_target_ = 0;
  Deadline flush_deadline_{};

  std::mutex shutdown_mutex_;  // serialises shutdown calls
  bool shutdown_done_ = false;
  bool shutdown_result_ = false;

  // Worker-only buffers, sized once.
  std::vector<SpanData*> owned_;
  std::vector<const SpanData*> view_;
  std::thread worker_;  // last: started after everything above exists
};

BatchSpanProcessor::BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                                       const BatchSpanProcessorOptions& options) {
  if (exporter == nullptr) {
    throw ConfigError("BatchSpanProcessor needs an exporter, got nullptr");
  }
  impl_ = std::make_unique<Impl>(std::move(exporter), BatchSpanProcessorSettings::resolve(options));
}

BatchSpanProcessor::~BatchSpanProcessor() = default;

void BatchSpanProcessor::on_end(std::unique_ptr<SpanData> span) noexcept {
  impl_->on_end(span);
  // A span not queued (queue full, or shutting down) was counted as dropped; its record goes
  // back to the pool rather than to free(), so an overloaded processor does not also make every
  // following span allocate.
  if (span != nullptr) SpanDataPool::release(std::move(span));
}
bool BatchSpanProcessor::force_flush(Deadline deadline) noexcept {
  return impl_->force_flush(deadline);
}
bool BatchSpanProcessor::shutdown(Deadline deadline) noexcept { return impl_->shutdown(deadline); }
ProcessorStats BatchSpanProcessor::stats() const noexcept { return impl_->stats(); }
const BatchSpanProcessorSettings& BatchSpanProcessor::settings() const noexcept {
  return impl_->settings();
}

}  // namespace hoptrace::sdk
