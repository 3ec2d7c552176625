#pragma once

// What a TracerProvider shares with its tracers and their spans.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "hoptrace/core/id_generator.h"
#include "hoptrace/core/sdk/resource.h"
#include "hoptrace/core/sdk/sampler.h"
#include "hoptrace/core/sdk/span_data.h"
#include "hoptrace/core/sdk/span_limits.h"
#include "hoptrace/core/sdk/span_processor.h"

namespace hoptrace::sdk::detail {

using ProcessorList = std::vector<SpanProcessor*>;

/// Span counters spread over cache lines so threads on different cores do not contend on one.
class SpanCounters {
 public:
  void count(bool recorded, bool sampled) noexcept {
    Stripe& s = stripes_[stripe_index()];
    s.started.fetch_add(1, std::memory_order_relaxed);
    if (recorded) s.recorded.fetch_add(1, std::memory_order_relaxed);
    if (sampled) s.sampled.fetch_add(1, std::memory_order_relaxed);
  }
  void totals(std::uint64_t* started, std::uint64_t* recorded,
              std::uint64_t* sampled) const noexcept {
    *started = *recorded = *sampled = 0;
    for (const Stripe& s : stripes_) {
      *started += s.started.load(std::memory_order_relaxed);
      *recorded += s.recorded.load(std::memory_order_relaxed);
      *sampled += s.sampled.load(std::memory_order_relaxed);
    }
  }

 private:
  static constexpr std::size_t kStripes = 8;
  struct alignas(64) Stripe {
    std::atomic<std::uint64_t> started{0};
    std::atomic<std::uint64_t> recorded{0};
    std::atomic<std::uint64_t> sampled{0};
  };
  static std::size_t stripe_index() noexcept;

  std::array<Stripe, kStripes> stripes_;
};

struct ProviderState {
  // Declared before the processors: spans queued inside processors point at them, so they must
  // be destroyed after the processors.
  Resource resource;
  std::mutex mutex;  // guards scopes, owned_processors, lists
  std::map<std::pair<std::string, std::string>, std::unique_ptr<InstrumentationScope>> scopes;

  std::shared_ptr<Sampler> sampler;
  std::shared_ptr<IdGenerator> id_generator_owner;
  IdGenerator* ids = nullptr;
  SpanLimits limits;
  bool disabled = false;
  std::atomic<bool> shut_down{false};
  SpanCounters counters;

  // Every list ever published stays alive, so a span started with an older list can still end
  // into it. Lists only grow, and only at set-up.
  std::vector<std::unique_ptr<const ProcessorList>> lists;
  std::atomic<const ProcessorList*> active{nullptr};
  std::vector<std::unique_ptr<SpanProcessor>> owned_processors;

  std::mutex shutdown_mutex;
  bool shutdown_done = false;
  bool shutdown_result = true;

  ~ProviderState() {
    // Processors go first (they may still hold spans pointing at the resource and scopes).
    owned_processors.clear();
  }
};

}  // namespace hoptrace::sdk::detail
