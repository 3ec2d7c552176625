#include "hoptrace/core/sdk/rate_limiting_sampler.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

namespace hoptrace::sdk {
namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

std::int64_t steady_now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t interval_for(double rate) noexcept {
  if (!(rate > 0.0)) return 0;
  const double interval = static_cast<double>(kNanosPerSecond) / rate;
  return interval < 1.0 ? 1 : static_cast<std::int64_t>(interval);
}

}  // namespace

RateLimitingSampler::RateLimitingSampler(double traces_per_second, Clock clock) noexcept
    : rate_(traces_per_second > 0.0 ? traces_per_second : 0.0),
      interval_ns_(interval_for(traces_per_second)),
      // A rate below one per second still allows one sample per interval.
      burst_ns_(interval_ns_ > kNanosPerSecond ? interval_ns_ : kNanosPerSecond),
      clock_(clock != nullptr ? clock : &steady_now_ns),
      next_due_ns_(std::numeric_limits<std::int64_t>::min() / 2) {}

SamplingResult RateLimitingSampler::should_sample(const SpanContext&, const TraceId&,
                                                  std::string_view, SpanKind, ArrayView<Attribute>,
                                                  ArrayView<Link>) noexcept {
  if (interval_ns_ == 0) return {SamplingDecision::kDrop, std::nullopt};
  const std::int64_t now = clock_();
  // Credit older than the burst window is forfeited: at most `burst / interval` samples may be
  // taken back to back after a quiet period.
  const std::int64_t earliest = now - burst_ns_;
  std::int64_t due = next_due_ns_.load(std::memory_order_relaxed);
  for (;;) {
    const std::int64_t base = due < earliest ? earliest : due;
    const std::int64_t next = base + interval_ns_;
    if (next > now) return {SamplingDecision::kDrop, std::nullopt};
    if (next_due_ns_.compare_exchange_weak(due, next, std::memory_order_relaxed)) {
      return {SamplingDecision::kRecordAndSample, std::nullopt};
    }
  }
}

std::string RateLimitingSampler::description() const {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "RateLimiting{%g}", rate_);
  return buf;
}

}  // namespace hoptrace::sdk
