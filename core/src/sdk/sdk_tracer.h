#pragma once

// The built-in SDK's Tracer.

#include <memory>

#include "hoptrace/core/tracer.h"
#include "sdk/provider_state.h"

namespace hoptrace::sdk::detail {

class SdkTracer final : public Tracer {
 public:
  SdkTracer(std::shared_ptr<ProviderState> state, const InstrumentationScope* scope) noexcept
      : state_(std::move(state)), scope_(scope) {}

  Span start_span(std::string_view name, const SpanStartOptions& options) noexcept override;
  /// Exact when the provider's sampling plan is constant (see SamplingPlan); true otherwise.
  bool may_record(const SpanStartOptions& options) const noexcept override;

 private:
  std::shared_ptr<ProviderState> state_;
  const InstrumentationScope* scope_;  // owned by state_
};

}  // namespace hoptrace::sdk::detail
