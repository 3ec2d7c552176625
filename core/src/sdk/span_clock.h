#pragma once

// The clock spans are timed with. Reading the kernel's clock costs a vDSO call (tens of ns on
// a VM); where the kernel itself times with the TSC, reading the TSC directly gives the same
// clock for a few ns. Private.

#include <atomic>
#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define HOPTRACE_HAS_TSC 1
#else
#define HOPTRACE_HAS_TSC 0
#endif

#include "hoptrace/core/span.h"

namespace hoptrace::sdk::detail {

/// A point on the span clock: TSC ticks, or steady_clock nanoseconds when `tsc` is false. An
/// instant is only compared with another of the same kind (SpanClock::now_like).
struct SpanInstant {
  std::int64_t ticks = 0;
  bool tsc = false;
};

/// How the span clock runs. The TSC is used only when the CPU's TSC is invariant and the
/// kernel's clocksource is `tsc` (the kernel vouches that it is synchronised across CPUs and
/// does not stop), or when `HOPTRACE_SPAN_CLOCK=tsc` insists and the TSC is invariant;
/// `HOPTRACE_SPAN_CLOCK=system` never uses it. Until the TSC rate has been measured against
/// CLOCK_MONOTONIC over at least kCalibrationTime (measured lazily by the first span start
/// after that long, no thread and no sleep), spans use steady_clock.
class SpanClock {
 public:
  static constexpr std::chrono::milliseconds kCalibrationTime{100};

  /// Decides whether to use the TSC and starts measuring its rate. Once per process; cheap
  /// afterwards. Called by every TracerProvider constructor.
  static void prepare() noexcept;

  static SpanInstant now() noexcept {
#if HOPTRACE_HAS_TSC
    if (tsc_on_.load(std::memory_order_acquire)) {
      return {static_cast<std::int64_t>(__rdtsc()), true};
    }
#endif
    return steady_now();
  }
  /// Now, on the same kind of clock as `start` (for a span's end).
  static SpanInstant now_like(SpanInstant start) noexcept {
#if HOPTRACE_HAS_TSC
    if (start.tsc) return {static_cast<std::int64_t>(__rdtsc()), true};
#endif
    return steady_now();
  }
  /// The wall-clock time of a recent instant, from a per-thread offset to system_clock
  /// refreshed at least once a second: a wall-clock step shows in span timestamps within a
  /// second, while durations (elapsed) never see it.
  static Timestamp wall_time_of(SpanInstant instant) noexcept {
    const Anchor& a = t_anchor_;
    const std::int64_t delta = instant.ticks - a.ticks;
    // Unsigned compare: also false for a negative delta (an instant before the anchor).
    if (instant.tsc == a.tsc && static_cast<std::uint64_t>(delta) < a.refresh) {
      return a.wall + std::chrono::nanoseconds(instant.tsc ? tsc_to_ns(delta) : delta);
    }
    return wall_time_reanchored(instant);
  }
  /// `end - start`, never negative.
  static std::chrono::nanoseconds elapsed(SpanInstant start, SpanInstant end) noexcept;

  /// Whether span instants are TSC readings now.
  static bool using_tsc() noexcept { return tsc_on_.load(std::memory_order_acquire); }
  /// Tests only: calibrates now (sleeping kCalibrationTime) if needed and switches the TSC on
  /// or off regardless of the clocksource. False when this CPU has no invariant TSC.
  static bool force_tsc_for_testing(bool on) noexcept;

 private:
  // This thread's pairing of a recent instant with system_clock; refresh 0 means none yet.
  struct Anchor {
    std::int64_t ticks = 0;
    std::uint64_t refresh = 0;  // how far past `ticks` (in its units) the anchor is used
    Timestamp wall{};
    bool tsc = false;
  };

  static SpanInstant steady_now() noexcept;
  static Timestamp wall_time_reanchored(SpanInstant instant) noexcept;
  static bool finish_calibration() noexcept;
  static std::int64_t tsc_to_ns(std::int64_t ticks) noexcept {
    return static_cast<std::int64_t>(static_cast<double>(ticks) * ns_per_tick_);
  }

  static std::atomic<bool> tsc_on_;
  // Set once, before tsc_on_ is first set (release), never changed afterwards, so a span
  // timed with the TSC can always convert its ticks.
  static double ns_per_tick_;
  static thread_local Anchor t_anchor_;
};

}  // namespace hoptrace::sdk::detail
