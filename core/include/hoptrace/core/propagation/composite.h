#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "hoptrace/core/propagator.h"

namespace hoptrace {

/// Several propagators used as one, in order (OpenTelemetry composite semantics): inject runs
/// each in turn; extract runs each in turn on the same Context, so a later format that finds a
/// valid span context replaces an earlier one, and one that finds nothing leaves it alone.
/// fields() is the union. An empty list propagates nothing (that is what `none` builds).
///
/// Immutable after construction and safe to use from any number of threads; the propagators it
/// holds are shared, never copied.
class CompositePropagator final : public TextMapPropagator {
 public:
  /// Null entries are skipped.
  explicit CompositePropagator(
      std::vector<std::shared_ptr<const TextMapPropagator>> propagators = {});

  /// Injects with each propagator in order.
  void inject(const Context& context, CarrierWriter& carrier) const noexcept override;
  /// Extracts with each propagator in order into the same `context`.
  void extract(const CarrierReader& carrier, Context& context) const noexcept override;
  /// The union of every propagator's fields.
  void fields(FieldSet& out) const override;
  /// `composite`.
  std::string_view name() const noexcept override { return "composite"; }

  /// The propagators, in order.
  const std::vector<std::shared_ptr<const TextMapPropagator>>& propagators() const noexcept {
    return propagators_;
  }

 private:
  std::vector<std::shared_ptr<const TextMapPropagator>> propagators_;
};

}  // namespace hoptrace
