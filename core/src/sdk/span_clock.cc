#include "sdk/span_clock.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <string_view>
#include <thread>

#if HOPTRACE_HAS_TSC
#include <cpuid.h>
#endif

namespace hoptrace::sdk::detail {

std::atomic<bool> SpanClock::tsc_on_{false};
double SpanClock::ns_per_tick_ = 0.0;
thread_local SpanClock::Anchor SpanClock::t_anchor_;

namespace {

using std::chrono::nanoseconds;
using std::chrono::steady_clock;

// CLOCK_MONOTONIC, which is what steady_clock reads on Linux, without its wrapper.
std::int64_t steady_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

Timestamp system_now() noexcept {
  return std::chrono::time_point_cast<nanoseconds>(std::chrono::system_clock::now());
}

std::int64_t g_ticks_per_second = 0;  // written with SpanClock::ns_per_tick_

// Calibration in progress: the starting pair, and whether a span start should finish it.
std::atomic<bool> g_calibrating{false};
std::atomic<bool> g_calibration_claimed{false};
std::int64_t g_start_steady = 0;
std::int64_t g_start_ticks = 0;
std::once_flag g_prepare_once;

#if HOPTRACE_HAS_TSC
bool invariant_tsc() noexcept {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(0x80000000u, &eax, &ebx, &ecx, &edx) == 0 || eax < 0x80000007u) return false;
  if (__get_cpuid(0x80000007u, &eax, &ebx, &ecx, &edx) == 0) return false;
  return (edx & (1u << 8)) != 0;
}

// A (steady ns, TSC) pair read as close together as this thread manages: the TSC read that
// sits between the two closest steady reads of a few tries.
void read_pair(std::int64_t* steady, std::int64_t* ticks) noexcept {
  std::int64_t best_gap = -1;
  for (int i = 0; i < 5; ++i) {
    const std::int64_t before = steady_ns();
    const auto t = static_cast<std::int64_t>(__rdtsc());
    const std::int64_t after = steady_ns();
    if (best_gap < 0 || after - before < best_gap) {
      best_gap = after - before;
      *steady = before + (after - before) / 2;
      *ticks = t;
    }
  }
}
#endif

bool kernel_times_with_tsc() noexcept {
  std::FILE* f =
      std::fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
  if (f == nullptr) return false;
  char name[32] = {};
  const bool read = std::fgets(name, sizeof name, f) != nullptr;
  std::fclose(f);
  return read && std::strcmp(name, "tsc\n") == 0;
}

}  // namespace

// Finishes the calibration from a span start on any thread; true when the TSC may be used.
bool SpanClock::finish_calibration() noexcept {
#if HOPTRACE_HAS_TSC
  std::int64_t steady = 0;
  std::int64_t ticks = 0;
  read_pair(&steady, &ticks);
  const double ns = static_cast<double>(steady - g_start_steady);
  const double t = static_cast<double>(ticks - g_start_ticks);
  g_calibrating.store(false, std::memory_order_relaxed);
  // A rate outside 100 MHz..20 GHz means something is off (a migrated VM, a broken TSC).
  if (!(t > 0.0) || ns / t > 10.0 || ns / t < 0.05) return false;
  ns_per_tick_ = ns / t;
  g_ticks_per_second = static_cast<std::int64_t>(1e9 / ns_per_tick_);
  return true;
#else
  return false;
#endif
}

namespace {

void start_calibration() noexcept {
#if HOPTRACE_HAS_TSC
  read_pair(&g_start_steady, &g_start_ticks);
  g_calibrating.store(true, std::memory_order_release);
#endif
}

}  // namespace

void SpanClock::prepare() noexcept {
  std::call_once(g_prepare_once, [] {
#if HOPTRACE_HAS_TSC
    const char* mode = std::getenv("HOPTRACE_SPAN_CLOCK");
    const std::string_view choice = mode != nullptr ? mode : "";
    if (choice == "system" || !invariant_tsc()) return;
    if (choice == "tsc" || kernel_times_with_tsc()) start_calibration();
#endif
  });
}

SpanInstant SpanClock::steady_now() noexcept {
  const std::int64_t now = steady_ns();
  if (g_calibrating.load(std::memory_order_acquire) &&
      now - g_start_steady >= nanoseconds(kCalibrationTime).count() &&
      !g_calibration_claimed.exchange(true, std::memory_order_acq_rel)) {
    if (finish_calibration()) tsc_on_.store(true, std::memory_order_release);
  }
  return {now, false};
}

Timestamp SpanClock::wall_time_reanchored(SpanInstant instant) noexcept {
  Anchor& a = t_anchor_;
  a.wall = system_now();
  a.ticks = now_like(instant).ticks;
  a.tsc = instant.tsc;
  a.refresh = static_cast<std::uint64_t>(instant.tsc ? g_ticks_per_second : 1000000000);
  const std::int64_t delta = instant.ticks - a.ticks;  // slightly negative: taken before
  return a.wall + nanoseconds(instant.tsc ? tsc_to_ns(delta) : delta);
}

nanoseconds SpanClock::elapsed(SpanInstant start, SpanInstant end) noexcept {
  const std::int64_t delta = end.ticks - start.ticks;
  if (delta <= 0) return nanoseconds(0);
  return nanoseconds(start.tsc ? tsc_to_ns(delta) : delta);
}

bool SpanClock::force_tsc_for_testing(bool on) noexcept {
#if HOPTRACE_HAS_TSC
  if (!on) {
    tsc_on_.store(false, std::memory_order_release);
    return true;
  }
  if (!invariant_tsc()) return false;
  if (ns_per_tick_ == 0.0) {
    if (g_calibration_claimed.exchange(true)) return false;  // a span start is finishing it
    start_calibration();
    std::this_thread::sleep_for(kCalibrationTime + std::chrono::milliseconds(5));
    if (!finish_calibration()) return false;
  }
  tsc_on_.store(true, std::memory_order_release);
  return true;
#else
  (void)on;
  return false;
#endif
}

}  // namespace hoptrace::sdk::detail
