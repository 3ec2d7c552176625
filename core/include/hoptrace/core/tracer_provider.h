#pragma once

#include <memory>
#include <string_view>

#include "hoptrace/core/tracer.h"

namespace hoptrace {

/// Hands out Tracers. The built-in SDK implements it (sdk::TracerProvider); another SDK can
/// plug in its own. Thread-safe.
class TracerProvider {
 public:
  virtual ~TracerProvider() = default;
  /// A tracer for the instrumentation library `name` (e.g. `hoptrace.kafka`) at `version`.
  /// Never null. Repeated calls with the same name and version may return the same tracer.
  /// The tracer keeps what it needs alive; spans it starts must end before the provider's
  /// last owner releases it.
  virtual std::shared_ptr<Tracer> get_tracer(std::string_view name,
                                             std::string_view version = {}) = 0;
};

/// The provider installed with set_global_tracer_provider, or a no-op provider whose spans
/// never record but carry their parent's context (so propagation keeps working). Thread-safe;
/// takes a lock, so fetch tracers once at set-up rather than per message.
std::shared_ptr<TracerProvider> global_tracer_provider() noexcept;

/// Installs `provider` as the global one (null restores the no-op provider). Tracers obtained
/// earlier keep using the provider they came from.
void set_global_tracer_provider(std::shared_ptr<TracerProvider> provider) noexcept;

}  // namespace hoptrace
