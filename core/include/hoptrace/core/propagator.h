#pragma once

#include <string_view>

#include "hoptrace/core/carrier.h"
#include "hoptrace/core/context.h"

namespace hoptrace {

/// Injects a Context into a message's fields and extracts one from them, in one wire format.
///
/// Both directions are noexcept and never abort on wire data: a missing field leaves the
/// context untouched; a malformed one leaves it untouched and is counted by reason in
/// propagation_stats(). Implementations are immutable after construction and safe to use from
/// any number of threads at once.
class TextMapPropagator {
 public:
  virtual ~TextMapPropagator() = default;

  /// Writes `context` (when it has something to write) into `carrier`.
  virtual void inject(const Context& context, CarrierWriter& carrier) const noexcept = 0;

  /// Reads `carrier` and updates `context` with what it finds: a valid span context (marked
  /// remote) replaces context.span_context; baggage replaces context.baggage. Fields that are
  /// absent or invalid leave those parts as they were.
  virtual void extract(const CarrierReader& carrier, Context& context) const noexcept = 0;

  /// Adds the field names (and name prefixes) this format reads and writes.
  virtual void fields(FieldSet& out) const = 0;

  /// The OTEL_PROPAGATORS name (`tracecontext`, `b3`, ...).
  virtual std::string_view name() const noexcept = 0;
};

}  // namespace hoptrace
