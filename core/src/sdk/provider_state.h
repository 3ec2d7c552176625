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
#include "sdk/sampling_plan.h"

namespace hoptrace::sdk::detail {

/// The processors a span started with. Published whole (copy-on-write) when one is added.
struct ProcessorList {
  std::vector<SpanProcessor*> all;
  /// Those whose needs_on_start() was true when added, in the same order.
  std::vector<SpanProcessor*> starting;
};

/// Span counters spread over cache lines so threads do not contend on one. The first kStripes
/// threads of the process each own a stripe and update it with plain load+store (no locked
/// instruction on the per-span path); later threads share stripes with atomic adds.
class SpanCounters {
 public:
  void count(bool recorded, bool sampled) noexcept {
    const Slot slot = slot_of_this_thread();
    Stripe& s = stripes_[slot.index];
    bump(s.started, slot.exclusive);
    if (recorded) bump(s.recorded, slot.exclusive);
    if (sampled) bump(s.sampled, slot.exclusive);
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
  static constexpr std::size_t kStripes = 32;
  struct alignas(64) Stripe {
    std::atomic<std::uint64_t> started{0};
    std::atomic<std::uint64_t> recorded{0};
    std::atomic<std::uint64_t> sampled{0};
  };
  struct Slot {
    std::size_t index;
    bool exclusive;
  };
  static void bump(std::atomic<std::uint64_t>& c, bool exclusive) noexcept {
    if (exclusive) {
      c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    } else {
      c.fetch_add(1, std::memory_order_relaxed);
    }
  }
  static Slot slot_of_this_thread() noexcept;

  std::array<Stripe, kStripes> stripes_;
};

struct ProviderState {
  // Declared before the processors: spans queued inside processors point at them, so they must
  // be destroyed after the processors.
  Resource resource;
  std::mutex mutex;  // guards scopes, owned_processors, lists
  std::map<std::pair<std::string, std::string>, std::unique_ptr<InstrumentationScope>> scopes;

  std::shared_ptr<Sampler> sampler;
  SamplingPlan sampling_plan;  // from `sampler`; when constant, `sampler` is not called
  std::shared_ptr<IdGenerator> id_generator_owner;
  IdGenerator* ids = nullptr;
  bool default_ids = true;  // `ids` is default_id_generator(): draw inline instead
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
