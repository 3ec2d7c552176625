#pragma once

#include <string_view>

#include "hoptrace/core/propagator.h"

namespace hoptrace {

/// The W3C Baggage propagator (`baggage` field).
///
/// Extract: several `baggage` lines are joined with `,` on kHttpFieldLines carriers; kLastWins
/// carriers (brokers) use the last occurrence. The result replaces context.baggage only when it
/// holds at least one member. Malformed members and members past the limits are dropped one by
/// one and counted in propagation_stats() under PropagationFormat::kBaggage.
///
/// Inject: writes the percent-encoded header when context.baggage is non-empty. The header is
/// built in a per-thread buffer, so steady-state injection does not allocate.
///
/// Stateless: one instance may be shared by any number of threads.
class BaggagePropagator final : public TextMapPropagator {
 public:
  /// The field name, lowercase as W3C says to send it.
  static constexpr std::string_view kBaggageField = "baggage";

  /// Writes `baggage` when context.baggage is non-empty; a refused field counts kInjectFailed.
  void inject(const Context& context, CarrierWriter& carrier) const noexcept override;
  /// Replaces context.baggage when the carrier yields at least one valid member.
  void extract(const CarrierReader& carrier, Context& context) const noexcept override;
  /// Adds `baggage`.
  void fields(FieldSet& out) const override;
  /// `baggage`, as in OTEL_PROPAGATORS.
  std::string_view name() const noexcept override { return "baggage"; }
};

}  // namespace hoptrace
