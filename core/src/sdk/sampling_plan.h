#pragma once

// The sampling decision precomputed at provider build time, so that the common configurations
// (AlwaysOn, AlwaysOff, ParentBased and LinkAware compositions of them) answer a span start
// from a table instead of a chain of virtual calls that each build a SamplingResult. Private.

#include <array>
#include <cstdint>

#include "hoptrace/core/sdk/sampler.h"

namespace hoptrace::sdk::detail {

class SamplingPlan {
 public:
  /// Which of ParentBased's five cases a parent falls in.
  enum class ParentCase : std::uint8_t {
    kRoot = 0,
    kRemoteSampled,
    kRemoteNotSampled,
    kLocalSampled,
    kLocalNotSampled,
  };
  static constexpr std::size_t kParentCases = 5;

  /// The plan for `sampler` (the provider's effective sampler, LinkAware wrapper included).
  /// When the sampler is not a composition of constant samplers the plan is not constant and
  /// the SDK must call the sampler.
  static SamplingPlan build(const Sampler& sampler) noexcept;

  /// True when decide() gives the sampler's decision for every span (and the sampler would set
  /// no trace state).
  bool is_constant() const noexcept { return constant_; }

  static ParentCase parent_case(const SpanContext& parent) noexcept {
    if (!parent.is_valid()) return ParentCase::kRoot;
    const bool sampled = parent.is_sampled();
    if (parent.is_remote()) {
      return sampled ? ParentCase::kRemoteSampled : ParentCase::kRemoteNotSampled;
    }
    return sampled ? ParentCase::kLocalSampled : ParentCase::kLocalNotSampled;
  }

  /// Only meaningful when is_constant().
  SamplingDecision decide(const SpanContext& parent, ArrayView<Link> links) const noexcept {
    const SamplingDecision d = table_[static_cast<std::size_t>(parent_case(parent))];
    if (d == SamplingDecision::kRecordAndSample || !link_aware_) return d;
    for (const Link& link : links) {
      if (link.context.is_valid() && link.context.is_sampled()) {
        return SamplingDecision::kRecordAndSample;
      }
    }
    return d;
  }

 private:
  bool constant_ = false;
  bool link_aware_ = false;
  std::array<SamplingDecision, kParentCases> table_{};
};

}  // namespace hoptrace::sdk::detail
