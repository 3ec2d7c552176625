#include "hoptrace/core/id_generator.h"

#include <pthread.h>
#include <sys/random.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>

namespace hoptrace {
namespace {

// Bumped in the child after fork(), so a thread that inherited its generator's state from the
// parent reseeds instead of producing the parent's ids again. Cheaper than getpid() per id.
std::atomic<std::uint32_t> g_fork_generation{1};

void on_fork_child() noexcept { g_fork_generation.fetch_add(1, std::memory_order_relaxed); }

bool register_fork_handler() noexcept {
  return pthread_atfork(nullptr, nullptr, &on_fork_child) == 0;
}

std::uint64_t splitmix64(std::uint64_t& x) noexcept {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

// xoshiro256**: fast, 256 bits of state, passes BigCrush; ids need uniqueness and uniformity,
// not unpredictability.
class Xoshiro {
 public:
  std::uint64_t next() noexcept {
    const std::uint32_t generation = g_fork_generation.load(std::memory_order_relaxed);
    if (generation != generation_) seed(generation);
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

 private:
  void seed(std::uint32_t generation) noexcept {
    static const bool registered = register_fork_handler();
    (void)registered;
    std::uint64_t seed_material[4] = {0, 0, 0, 0};
    const ssize_t got = getrandom(seed_material, sizeof(seed_material), GRND_NONBLOCK);
    std::uint64_t mix = 0;
    if (got != static_cast<ssize_t>(sizeof(seed_material))) {
      // No entropy pool yet (early boot) or no getrandom: fall back to what is available.
      try {
        std::random_device rd;
        mix = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
      } catch (...) {
      }
    }
    // Mixing in the time and this object's address keeps two threads (or a parent and child)
    // apart even if the OS source failed.
    mix ^= static_cast<std::uint64_t>(
        std::chrono::high_resolution_clock::now().time_since_epoch().count());
    mix ^= static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(this));
    for (std::size_t i = 0; i < 4; ++i) s_[i] = seed_material[i] ^ splitmix64(mix);
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;  // the all-zero state is a fixed point
    generation_ = generation;
  }

  std::uint64_t s_[4] = {0, 0, 0, 0};
  std::uint32_t generation_ = 0;
};

thread_local Xoshiro t_rng;

class DefaultIdGenerator final : public IdGenerator {
 public:
  TraceId new_trace_id() noexcept override {
    // W3C Level 2 asks for the right-most 7 bytes to be random; all 16 are.
    for (;;) {
      const std::uint64_t high = t_rng.next();
      const std::uint64_t low = t_rng.next();
      if ((high | low) != 0) return TraceId::from_u64(high, low);
    }
  }
  SpanId new_span_id() noexcept override {
    for (;;) {
      const std::uint64_t v = t_rng.next();
      if (v != 0) return SpanId::from_u64(v);
    }
  }
  bool trace_ids_are_random() const noexcept override { return true; }
};

}  // namespace

IdGenerator& default_id_generator() noexcept {
  static DefaultIdGenerator generator;
  return generator;
}

TraceId generate_trace_id() noexcept { return default_id_generator().new_trace_id(); }
SpanId generate_span_id() noexcept { return default_id_generator().new_span_id(); }

}  // namespace hoptrace
