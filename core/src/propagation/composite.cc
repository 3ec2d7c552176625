#include "hoptrace/core/propagation/composite.h"

#include <algorithm>
#include <utility>

namespace hoptrace {

CompositePropagator::CompositePropagator(
    std::vector<std::shared_ptr<const TextMapPropagator>> propagators)
    : propagators_(std::move(propagators)) {
  propagators_.erase(std::remove(propagators_.begin(), propagators_.end(), nullptr),
                     propagators_.end());
}

void CompositePropagator::inject(const Context& context, CarrierWriter& carrier) const noexcept {
  for (const auto& p : propagators_) p->inject(context, carrier);
}

void CompositePropagator::extract(const CarrierReader& carrier, Context& context) const noexcept {
  for (const auto& p : propagators_) p->extract(carrier, context);
}

void CompositePropagator::fields(FieldSet& out) const {
  for (const auto& p : propagators_) p->fields(out);
}

}  // namespace hoptrace
