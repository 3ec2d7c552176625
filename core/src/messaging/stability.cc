#include "hoptrace/core/messaging/stability.h"

#include <cstdlib>

#include "messaging/env_util.h"

namespace hoptrace::messaging {

namespace internal {
std::string_view getenv_view(const char* name) noexcept {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string_view() : std::string_view(value);
}
}  // namespace internal

SemconvStabilityMode parse_semconv_stability_opt_in(std::string_view value) noexcept {
  auto mode = SemconvStabilityMode::kDefault;
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    const std::string_view entry = internal::trim(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    if (internal::iequals(entry, "messaging/dup")) return SemconvStabilityMode::kDuplicate;
    if (internal::iequals(entry, "messaging")) mode = SemconvStabilityMode::kCurrent;
  }
  return mode;
}

SemconvStabilityMode semconv_stability_from_environment() noexcept {
  return parse_semconv_stability_opt_in(internal::getenv_view("OTEL_SEMCONV_STABILITY_OPT_IN"));
}

std::optional<std::string_view> current_attribute_key(std::string_view old_key) noexcept {
  for (const auto& entry : kDeprecatedAttributes) {
    if (entry.old_key == old_key) return entry.new_key;
  }
  return std::nullopt;
}

std::optional<std::string_view> legacy_attribute_key(std::string_view current_key) noexcept {
  if (current_key.empty()) return std::nullopt;
  for (const auto& entry : kDeprecatedAttributes) {
    if (entry.new_key == current_key) return entry.old_key;
  }
  return std::nullopt;
}

}  // namespace hoptrace::messaging
