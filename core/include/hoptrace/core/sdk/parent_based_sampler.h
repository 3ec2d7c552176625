#pragma once

#include <memory>

#include "hoptrace/core/sdk/sampler.h"

namespace hoptrace::sdk {

/// Follows the parent's decision; a root span asks `root`.
///
/// The five delegates (defaults in brackets): root (required), remote parent sampled
/// [AlwaysOn], remote parent not sampled [AlwaysOff], local parent sampled [AlwaysOn], local
/// parent not sampled [AlwaysOff]. Thread-safe when the delegates are.
class ParentBasedSampler final : public Sampler {
 public:
  /// A null delegate takes its default; a null `root` means AlwaysOn.
  struct Delegates {
    std::shared_ptr<Sampler> remote_parent_sampled;
    std::shared_ptr<Sampler> remote_parent_not_sampled;
    std::shared_ptr<Sampler> local_parent_sampled;
    std::shared_ptr<Sampler> local_parent_not_sampled;
  };

  explicit ParentBasedSampler(std::shared_ptr<Sampler> root, Delegates delegates = {});

  SamplingResult should_sample(const SpanContext& parent, const TraceId& trace_id,
                               std::string_view name, SpanKind kind,
                               ArrayView<Attribute> attributes,
                               ArrayView<Link> links) noexcept override;
  /// `ParentBased{root=...,remoteParentSampled=...,...}`.
  std::string description() const override;

  /// The sampler asked for root spans (never null).
  const std::shared_ptr<Sampler>& root() const noexcept { return root_; }
  /// The four parent delegates, defaults filled in (none is null).
  const Delegates& delegates() const noexcept { return delegates_; }

 private:
  std::shared_ptr<Sampler> root_;
  Delegates delegates_;
};

}  // namespace hoptrace::sdk
