#pragma once

#include <atomic>
#include <cstdint>

#include "hoptrace/core/sdk/sampler.h"

namespace hoptrace::sdk {

/// Samples at most `traces_per_second` of the spans it is asked about, with bursts of up to one
/// second's worth; the rest are dropped. Meant as the root sampler of a ParentBasedSampler,
/// where it caps new traces per second while children follow their parent.
///
/// Lock-free (one atomic compare-and-swap per sampled span, a load per dropped one) and
/// thread-safe. The limit is per sampler instance, i.e. per process.
class RateLimitingSampler final : public Sampler {
 public:
  /// Monotonic nanoseconds; replaceable for tests.
  using Clock = std::int64_t (*)() noexcept;

  /// `traces_per_second` <= 0 (or NaN) samples nothing. `clock` null means the steady clock.
  explicit RateLimitingSampler(double traces_per_second, Clock clock = nullptr) noexcept;

  SamplingResult should_sample(const SpanContext& parent, const TraceId& trace_id,
                               std::string_view name, SpanKind kind,
                               ArrayView<Attribute> attributes,
                               ArrayView<Link> links) noexcept override;
  /// `RateLimiting{<traces per second>}`.
  std::string description() const override;

 private:
  double rate_;
  std::int64_t interval_ns_;  // time that earns one sample; 0 when nothing is sampled
  std::int64_t burst_ns_;     // how much unused credit may accumulate
  Clock clock_;
  // Generic cell rate algorithm: the earliest time at which the next sample would be "due".
  std::atomic<std::int64_t> next_due_ns_;
};

}  // namespace hoptrace::sdk
