#include "hoptrace/core/sdk/span_limits.h"

#include <optional>

#include "sdk/env.h"

namespace hoptrace::sdk {
namespace {

std::size_t to_size(std::uint64_t v) noexcept {
  return v > std::numeric_limits<std::size_t>::max() ? std::numeric_limits<std::size_t>::max()
                                                     : static_cast<std::size_t>(v);
}

// The specific variable wins; the general one applies when the specific one is unset.
void apply(std::size_t& field, const char* specific, const std::optional<std::uint64_t>& general) {
  if (const auto v = detail::env_uint(specific)) {
    field = to_size(*v);
  } else if (general) {
    field = to_size(*general);
  }
}

}  // namespace

SpanLimits SpanLimits::from_environment() {
  SpanLimits limits;
  const std::optional<std::uint64_t> general_count = detail::env_uint("OTEL_ATTRIBUTE_COUNT_LIMIT");
  const std::optional<std::uint64_t> general_length =
      detail::env_uint("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT");
  apply(limits.attribute_count, "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", general_count);
  apply(limits.attributes_per_event, "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", general_count);
  apply(limits.attributes_per_link, "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", general_count);
  apply(limits.attribute_value_length, "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", general_length);
  apply(limits.event_count, "OTEL_SPAN_EVENT_COUNT_LIMIT", std::nullopt);
  apply(limits.link_count, "OTEL_SPAN_LINK_COUNT_LIMIT", std::nullopt);
  return limits;
}

}  // namespace hoptrace::sdk
