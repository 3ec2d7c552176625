#include "hoptrace/core/id_generator.h"

#include <pthread.h>
#include <sys/random.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>

#include "id_random.h"

namespace hoptrace {
namespace detail {

std::atomic<std::uint32_t> g_id_fork_generation{1};

namespace {

void on_fork_child() noexcept { g_id_fork_generation.fetch_add(1, std::memory_order_relaxed); }

bool register_fork_handler() noexcept {
  return pthread_atfork(nullptr, nullptr, &on_fork_child) == 0;
}

std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

std::uint64_t fresh_id_seed(const void* salt) noexcept {
  static const bool registered = register_fork_handler();
  (void)registered;
  std::uint64_t seed = 0;
  const ssize_t got = getrandom(&seed, sizeof(seed), GRND_NONBLOCK);
  if (got != static_cast<ssize_t>(sizeof(seed))) {
    // No entropy pool yet (early boot) or no getrandom: fall back to what is available.
    try {
      std::random_device rd;
      seed = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    } catch (...) {
    }
  }
  // The time and the stream's address keep two threads (or a parent and child) apart even if
  // the OS source failed.
  seed ^= mix64(static_cast<std::uint64_t>(
      std::chrono::high_resolution_clock::now().time_since_epoch().count()));
  seed ^= mix64(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(salt)));
  return seed;
}

}  // namespace detail

namespace {

thread_local detail::IdStream t_ids;

class DefaultIdGenerator final : public IdGenerator {
 public:
  TraceId new_trace_id() noexcept override { return t_ids.trace_id(); }
  SpanId new_span_id() noexcept override { return t_ids.span_id(); }
  bool trace_ids_are_random() const noexcept override { return true; }
};

}  // namespace

IdGenerator& default_id_generator() noexcept {
  static DefaultIdGenerator generator;
  return generator;
}

TraceId generate_trace_id() noexcept { return t_ids.trace_id(); }
SpanId generate_span_id() noexcept { return t_ids.span_id(); }

}  // namespace hoptrace
