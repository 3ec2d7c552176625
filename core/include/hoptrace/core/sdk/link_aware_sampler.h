#pragma once

#include <memory>

#include "hoptrace/core/sdk/sampler.h"

namespace hoptrace::sdk {

/// Keeps a span when its delegate samples it OR when any of its links (given at start) points
/// at a sampled context. A batch consumer span that links the messages it processes is thus
/// kept whenever any producer's trace was, so no sampled trace loses its consumer side.
/// The delegate's trace state is kept either way. Thread-safe when the delegate is.
class LinkAwareSampler final : public Sampler {
 public:
  /// `delegate` must not be null.
  explicit LinkAwareSampler(std::shared_ptr<Sampler> delegate);

  SamplingResult should_sample(const SpanContext& parent, const TraceId& trace_id,
                               std::string_view name, SpanKind kind,
                               ArrayView<Attribute> attributes,
                               ArrayView<Link> links) noexcept override;
  /// `LinkAware{<delegate>}`.
  std::string description() const override;

  const std::shared_ptr<Sampler>& delegate() const noexcept { return delegate_; }

 private:
  std::shared_ptr<Sampler> delegate_;
};

}  // namespace hoptrace::sdk
