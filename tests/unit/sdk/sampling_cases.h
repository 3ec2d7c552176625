#pragma once

// Samplers, parents and link sets the sampling tests walk through (the sampling plan's and
// Tracer::may_record's), kept in one place so both cover the same cases.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hoptrace/core/sdk/always_off_sampler.h"
#include "hoptrace/core/sdk/always_on_sampler.h"
#include "hoptrace/core/sdk/sampler.h"
#include "hoptrace/core/span_context.h"

namespace hoptrace::sdk::sampling_cases {

// Records only (a decision no built-in constant sampler gives), declared constant.
class ConstantRecordOnly final : public Sampler {
 public:
  SamplingResult should_sample(const SpanContext&, const TraceId&, std::string_view, SpanKind,
                               ArrayView<Attribute>, ArrayView<Link>) noexcept override {
    return {SamplingDecision::kRecordOnly, std::nullopt};
  }
  std::string description() const override { return "RecordOnly"; }
  std::optional<SamplingDecision> constant_decision() const noexcept override {
    return SamplingDecision::kRecordOnly;
  }
};

inline std::shared_ptr<Sampler> on() { return std::make_shared<AlwaysOnSampler>(); }
inline std::shared_ptr<Sampler> off() { return std::make_shared<AlwaysOffSampler>(); }
inline std::shared_ptr<Sampler> record_only() { return std::make_shared<ConstantRecordOnly>(); }

inline const SpanContext kSampledLink(TraceId::from_u64(1, 1), SpanId::from_u64(1),
                                      TraceFlags(TraceFlags::kSampled), true);
inline const SpanContext kUnsampledLink(TraceId::from_u64(2, 2), SpanId::from_u64(2),
                                        TraceFlags(0), true);
// Carries the sampled flag but is invalid: must not count as a sampled link.
inline const SpanContext kInvalidSampledLink(TraceId(), SpanId(), TraceFlags(TraceFlags::kSampled),
                                             false);

inline std::vector<std::vector<Link>> every_link_set() {
  return {{},
          {Link{kUnsampledLink, {}}},
          {Link{kSampledLink, {}}},
          {Link{kInvalidSampledLink, {}}},
          {Link{kUnsampledLink, {}}, Link{kSampledLink, {}}}};
}

// No parent, then a valid parent for each of remote/local × sampled/not.
inline std::vector<SpanContext> no_parent_and_every_valid_parent() {
  std::vector<SpanContext> parents = {SpanContext()};
  for (bool remote : {false, true}) {
    for (bool sampled : {false, true}) {
      parents.emplace_back(TraceId::from_u64(7, 8), SpanId::from_u64(9),
                           TraceFlags(sampled ? TraceFlags::kSampled : 0), remote);
    }
  }
  return parents;
}

}  // namespace hoptrace::sdk::sampling_cases
