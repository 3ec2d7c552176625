#pragma once

// The random source behind the default id generator, inline so the SDK's span start draws ids
// without a virtual call or a lock. Private.

#include <atomic>
#include <cstdint>

#include "hoptrace/core/ids.h"

namespace hoptrace::detail {

/// Bumped in a forked child, so a thread that inherited its stream from the parent reseeds
/// instead of repeating the parent's ids.
extern std::atomic<std::uint32_t> g_id_fork_generation;

/// 64 bits from the OS (getrandom, else random_device), mixed with the time and `salt`; also
/// registers the fork handler on first use.
std::uint64_t fresh_id_seed(const void* salt) noexcept;

/// One thread's id stream: SplitMix64 (a Weyl sequence through a 64-bit bijective mixer). Every
/// output of one stream is distinct until 2^64 draws, so a thread never repeats a span id; two
/// threads' streams are random offsets into the sequence, so they overlap with negligible
/// probability. Ids need uniqueness and uniformity, not unpredictability. Constant-initialised,
/// so a thread_local of it costs no initialisation guard.
class IdStream {
 public:
  std::uint64_t next() noexcept {
    const std::uint32_t generation = g_id_fork_generation.load(std::memory_order_relaxed);
    if (generation != generation_) reseed(generation);
    return mix(state_ += kGamma);
  }
  std::uint64_t next_nonzero() noexcept {
    for (;;) {
      const std::uint64_t v = next();
      if (v != 0) return v;
    }
  }
  /// All 16 bytes random (W3C Level 2 asks for the right-most 7).
  TraceId trace_id() noexcept {
    for (;;) {
      const std::uint64_t high = next();
      const std::uint64_t low = next();
      if ((high | low) != 0) return TraceId::from_u64(high, low);
    }
  }
  SpanId span_id() noexcept { return SpanId::from_u64(next_nonzero()); }

  /// A new span's ids in one go (one fork check, the state loaded and stored once): a span id,
  /// and a trace id too when `trace_id` is not null. Same values as trace_id() then span_id().
  void span_ids(TraceId* trace_id, SpanId* span_id) noexcept {
    const std::uint32_t generation = g_id_fork_generation.load(std::memory_order_relaxed);
    if (generation != generation_) reseed(generation);
    std::uint64_t state = state_;
    if (trace_id != nullptr) {
      for (;;) {
        const std::uint64_t high = mix(state += kGamma);
        const std::uint64_t low = mix(state += kGamma);
        if ((high | low) != 0) {
          *trace_id = TraceId::from_u64(high, low);
          break;
        }
      }
    }
    std::uint64_t v;
    do {
      v = mix(state += kGamma);
    } while (v == 0);
    state_ = state;
    *span_id = SpanId::from_u64(v);
  }

 private:
  static constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ULL;
  static std::uint64_t mix(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  void reseed(std::uint32_t generation) noexcept {
    state_ = fresh_id_seed(this);
    generation_ = generation;
  }

  std::uint64_t state_ = 0;
  std::uint32_t generation_ = 0;  // never equal to g_id_fork_generation, which starts at 1
};

}  // namespace hoptrace::detail
