#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hoptrace::sdk {

/// An owned attribute value (resources live as long as their TracerProvider).
using OwnedAttributeValue = std::variant<bool, std::int64_t, double, std::string>;

struct ResourceAttribute {
  std::string key;
  OwnedAttributeValue value;
};

/// The entity producing spans (`service.name`, `service.version`, host, cloud ...). Immutable.
class Resource {
 public:
  Resource() = default;
  explicit Resource(std::vector<ResourceAttribute> attributes);

  /// The SDK's default resource merged with the environment: `telemetry.sdk.*`,
  /// OTEL_RESOURCE_ATTRIBUTES (`k=v,...`, percent-decoded; a decode error discards the whole
  /// value with one warning), then OTEL_SERVICE_NAME, which wins over service.name from the
  /// former; without either, `unknown_service:<executable>`.
  static Resource from_environment();
  /// Attributes of `other` win over ours (OTel Merge).
  Resource merge(const Resource& other) const;

  const std::vector<ResourceAttribute>& attributes() const noexcept { return attributes_; }
  const OwnedAttributeValue* get(std::string_view key) const noexcept;
  /// `service.name` as a string, or empty.
  std::string_view service_name() const noexcept;

 private:
  std::vector<ResourceAttribute> attributes_;
};

}  // namespace hoptrace::sdk
