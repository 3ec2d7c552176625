#include "hoptrace/core/sdk/span_data_pool.h"

#include <array>
#include <mutex>
#include <new>
#include <vector>

namespace hoptrace::sdk {
namespace {

constexpr std::size_t kThreadCacheSize = 64;
constexpr std::size_t kTransferBatch = kThreadCacheSize / 2;
constexpr std::size_t kMaxSharedIdle = 4096;
// A span that once carried thousands of events or links keeps that capacity after reset();
// holding on to it would pin memory for ordinary spans.
constexpr std::size_t kMaxRetainedElements = 1024;

struct SharedList {
  std::mutex mutex;
  std::vector<SpanData*> idle;
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
      for (; kept < count && s.idle.size() < kMaxSharedIdle; ++kept) s.idle.push_back(items[kept]);
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

}  // namespace

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
