#include "hoptrace/core/propagation/baggage_propagator.h"

#include <algorithm>
#include <optional>
#include <string>

#include "hoptrace/core/propagation/stats.h"

namespace hoptrace {
namespace {

void reject(RejectReason reason, std::string_view value) noexcept {
  detail::report_rejection(PropagationFormat::kBaggage, reason, BaggagePropagator::kBaggageField,
                           value);
}

// The joined baggage lines of an HTTP-style carrier (W3C: several headers form one list and the
// limits apply to the combined list). One line is used in place; several are joined into a
// per-thread buffer that keeps its capacity. Joining stops at Baggage::kMaxHeaderLength (plus
// one byte, so parse still sees that the list was longer and reports it) since parse reads no
// further anyway.
std::optional<std::string_view> joined_baggage(const CarrierReader& carrier) noexcept {
  std::optional<std::string_view> first;
  std::size_t lines = 0;
  std::size_t total = 0;
  carrier.for_each_value(BaggagePropagator::kBaggageField, [&](std::string_view line) {
    if (lines++ == 0) first = line;
    total += line.size() + 1;
    return total <= Baggage::kMaxHeaderLength;
  });
  if (lines <= 1) return first;
  const std::size_t limit = std::min(total, Baggage::kMaxHeaderLength + 1);
  thread_local std::string buffer;
  try {
    buffer.clear();
    buffer.reserve(limit);
  } catch (...) {
    return std::nullopt;
  }
  std::size_t index = 0;
  carrier.for_each_value(BaggagePropagator::kBaggageField, [&](std::string_view line) {
    // Stays within the reserved capacity: nothing here allocates or throws.
    if (index++ > 0) {
      if (buffer.size() == limit) return false;
      buffer.push_back(',');
    }
    const std::size_t room = limit - buffer.size();
    buffer.append(line.data(), std::min(room, line.size()));
    return buffer.size() < limit;
  });
  return std::string_view(buffer);
}

}  // namespace

void BaggagePropagator::inject(const Context& context, CarrierWriter& carrier) const noexcept {
  if (context.baggage.empty()) return;
  thread_local std::string buffer;
  try {
    buffer.clear();
    context.baggage.serialize(buffer);
  } catch (...) {
    reject(RejectReason::kInjectFailed, {});
    return;
  }
  if (buffer.empty()) return;
  if (!carrier.set(kBaggageField, buffer)) reject(RejectReason::kInjectFailed, buffer);
}

void BaggagePropagator::extract(const CarrierReader& carrier, Context& context) const noexcept {
  const std::optional<std::string_view> raw =
      carrier.repeated_keys() == RepeatedKeys::kHttpFieldLines ? joined_baggage(carrier)
                                                               : carrier.get(kBaggageField);
  if (!raw) return;
  BaggageError error = BaggageError::kNone;
  Baggage baggage = Baggage::parse(*raw, &error);
  if (error != BaggageError::kNone) {
    // Only whole members are ever dropped; the rest of the list is kept.
    reject(RejectReason::kDroppedMember, *raw);
  }
  if (!baggage.empty()) context.baggage = std::move(baggage);
}

void BaggagePropagator::fields(FieldSet& out) const { out.add_key(kBaggageField); }

}  // namespace hoptrace
