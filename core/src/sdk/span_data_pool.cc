#include "hoptrace/core/sdk/span_data_pool.h"

#include <array>
#include <mutex>
#include <utility>
#include <new>
#include <vector>

namespace hoptrace::sdk {
namespace {

constexpr std::size_t kThreadCacheSize = 64;
constexpr std::size_t kTransferBatch = kThreadCacheSize / 2;
constexpr std::size_t kBaseSharedIdle = 4096;
// A span that once carried thousands of events or links keeps that capacity after reset();
// holding on to it would pin memory for ordinary spans.
constexpr std::size_t kMaxRetainedElements = 1024;

struct SharedList {
  std::mutex mutex;
  std::vector<SpanData*> idle;
  std::size_t reserved = 0;  // sum of live Reservations, under `mutex`

  std::size_t bound() const noexcept { return kBaseSharedIdle + reserved; }
};

// Never destroyed: thread caches flush into it from thread-exit destructors, which may run
// after static destruction has begun.
SharedList& shared() noexcept {
  static SharedList* list = new SharedList();
  return *list;
}

void give_to_shared(SpanData* const* items, std::size_t count) noexcept {
  SharedList& s = shared();
  std::size_t kept = 0;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    try {
      for (; kept < count && s.idle.size() < s.bound(); ++kept) s.idle.push_back(items[kept]);
    } catch (...) {  // no memory to remember them: free the rest below
    }
  }
  for (std::size_t i = kept; i < count; ++i) delete items[i];
}

struct ThreadCache {
  std::array<SpanData*, kThreadCacheSize> items{};
  std::size_t size = 0;

  ~ThreadCache() { give_to_shared(items.data(), size); }

  void refill() noexcept {
    SharedList& s = shared();
    std::lock_guard<std::mutex> lock(s.mutex);
    while (size < kTransferBatch && !s.idle.empty()) {
      items[size++] = s.idle.back();
      s.idle.pop_back();
    }
  }
};

thread_local ThreadCache t_cache;

void change_reservation(std::size_t add, std::size_t remove) noexcept {
  SharedList& s = shared();
  std::vector<SpanData*> surplus;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.reserved = s.reserved + add - remove;
    const std::size_t bound = s.bound();
    if (s.idle.size() <= bound) return;
    // The front holds the objects idle longest (the list is used as a stack): free those.
    const auto cut = s.idle.begin() + static_cast<std::ptrdiff_t>(s.idle.size() - bound);
    try {
      surplus.assign(s.idle.begin(), cut);
    } catch (...) {  // cannot move them out to free outside the lock: keep them for now
      return;
    }
    s.idle.erase(s.idle.begin(), cut);
  }
  for (SpanData* span : surplus) delete span;  // outside the lock: freeing thousands takes a while
}

}  // namespace

SpanDataPool::Reservation::Reservation(std::size_t count) noexcept : count_(count) {
  change_reservation(count, 0);
}

SpanDataPool::Reservation::Reservation(Reservation&& other) noexcept
    : count_(std::exchange(other.count_, 0)) {}

SpanDataPool::Reservation& SpanDataPool::Reservation::operator=(Reservation&& other) noexcept {
  if (this != &other) {
    if (count_ != 0) change_reservation(0, count_);
    count_ = std::exchange(other.count_, 0);
  }
  return *this;
}

SpanDataPool::Reservation::~Reservation() {
  if (count_ != 0) change_reservation(0, count_);
}

std::size_t SpanDataPool::idle_bound() noexcept {
  SharedList& s = shared();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.bound();
}

std::unique_ptr<SpanData> SpanDataPool::acquire() noexcept {
  ThreadCache& cache = t_cache;
  if (cache.size == 0) cache.refill();
  if (cache.size > 0) return std::unique_ptr<SpanData>(cache.items[--cache.size]);
  return std::unique_ptr<SpanData>(new (std::nothrow) SpanData());
}

void SpanDataPool::release(std::unique_ptr<SpanData> span) noexcept {
  if (!span) return;
  if (span->events.capacity() > kMaxRetainedElements ||
      span->links.capacity() > kMaxRetainedElements) {
    return;  // freed by the unique_ptr
  }
  span->reset();
  ThreadCache& cache = t_cache;
  if (cache.size == kThreadCacheSize) {
    give_to_shared(cache.items.data() + kTransferBatch, kThreadCacheSize - kTransferBatch);
    cache.size = kTransferBatch;
  }
  cache.items[cache.size++] = span.release();
}

std::size_t SpanDataPool::shared_idle_count() noexcept {
  SharedList& s = shared();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.idle.size();
}

}  // namespace hoptrace::sdk
