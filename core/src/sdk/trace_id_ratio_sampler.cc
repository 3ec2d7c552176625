#include "hoptrace/core/sdk/trace_id_ratio_sampler.h"

#include <cmath>
#include <cstdio>

namespace hoptrace::sdk {
namespace {

constexpr std::uint64_t kRandomnessBits = 56;
constexpr std::uint64_t kMaxThreshold = std::uint64_t{1} << kRandomnessBits;
constexpr std::uint64_t kRandomnessMask = kMaxThreshold - 1;

double clamp_ratio(double ratio) noexcept {
  if (!(ratio > 0.0)) return 0.0;  // also NaN
  return ratio > 1.0 ? 1.0 : ratio;
}

std::uint64_t threshold_for(double ratio) noexcept {
  const double t = std::round((1.0 - ratio) * static_cast<double>(kMaxThreshold));
  if (t <= 0.0) return 0;
  if (t >= static_cast<double>(kMaxThreshold)) return kMaxThreshold;
  return static_cast<std::uint64_t>(t);
}

}  // namespace

TraceIdRatioBasedSampler::TraceIdRatioBasedSampler(double ratio) noexcept
    : ratio_(clamp_ratio(ratio)), threshold_(threshold_for(ratio_)) {}

SamplingResult TraceIdRatioBasedSampler::should_sample(const SpanContext&, const TraceId& trace_id,
                                                       std::string_view, SpanKind,
                                                       ArrayView<Attribute>,
                                                       ArrayView<Link>) noexcept {
  const std::uint64_t randomness = trace_id.low() & kRandomnessMask;
  return {randomness >= threshold_ ? SamplingDecision::kRecordAndSample : SamplingDecision::kDrop,
          std::nullopt};
}

std::optional<SamplingDecision> TraceIdRatioBasedSampler::constant_decision() const noexcept {
  if (threshold_ == 0) return SamplingDecision::kRecordAndSample;
  if (threshold_ >= kMaxThreshold) return SamplingDecision::kDrop;
  return std::nullopt;
}

std::string TraceIdRatioBasedSampler::description() const {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "TraceIdRatioBased{%g}", ratio_);
  return buf;
}

}  // namespace hoptrace::sdk
