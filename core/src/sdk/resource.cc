#include "hoptrace/core/sdk/resource.h"

#include <errno.h>  // program_invocation_short_name (glibc)
#include <unistd.h>

#include <utility>

#include "sdk/export_env.h"

namespace hoptrace::sdk {
namespace {

constexpr std::string_view kSdkVersion = "0.1.0";

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `in`; false on a '%' not followed by two hex digits.
bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = hex_value(in[i + 1]);
    const int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

void set_attribute(std::vector<ResourceAttribute>& attributes, std::string key,
                   OwnedAttributeValue value) {
  for (ResourceAttribute& a : attributes) {
    if (a.key == key) {
      a.value = std::move(value);
      return;
    }
  }
  attributes.push_back({std::move(key), std::move(value)});
}

// Parses OTEL_RESOURCE_ATTRIBUTES; on any error returns an empty list and warns once, because
// half of a mis-encoded value is more misleading than none of it.
std::vector<ResourceAttribute> parse_resource_attributes(std::string_view raw) {
  std::vector<ResourceAttribute> result;
  std::string key;
  std::string value;
  std::size_t pos = 0;
  while (pos <= raw.size()) {
    std::size_t comma = raw.find(',', pos);
    if (comma == std::string_view::npos) comma = raw.size();
    const std::string_view member = raw.substr(pos, comma - pos);
    pos = comma + 1;
    if (export_env::trim(member).empty()) continue;
    const std::size_t eq = member.find('=');
    const char* problem = nullptr;
    if (eq == std::string_view::npos) {
      problem = "a member without '='";
    } else if (!percent_decode(export_env::trim(member.substr(0, eq)), key) ||
               !percent_decode(export_env::trim(member.substr(eq + 1)), value)) {
      problem = "a '%' not followed by two hex digits";
    } else if (key.empty()) {
      problem = "an empty key";
    }
    if (problem != nullptr) {
      export_env::warn(std::string("ignoring all of OTEL_RESOURCE_ATTRIBUTES: it has ") + problem +
                       " in '" + std::string(member) +
                       "'; expected key=value pairs separated by ',' with ',', '=' and '%' "
                       "percent-encoded");
      return {};
    }
    set_attribute(result, key, value);
  }
  return result;
}

std::string executable_name() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n > 0) {
    std::string_view path(buf, static_cast<std::size_t>(n));
    constexpr std::string_view kDeleted = " (deleted)";
    if (path.size() > kDeleted.size() && path.substr(path.size() - kDeleted.size()) == kDeleted) {
      path.remove_suffix(kDeleted.size());
    }
    const std::size_t slash = path.rfind('/');
    if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
    if (!path.empty()) return std::string(path);
  }
#if defined(__GLIBC__)
  if (program_invocation_short_name != nullptr && *program_invocation_short_name != '\0') {
    return program_invocation_short_name;
  }
#endif
  return {};
}

}  // namespace

Resource::Resource(std::vector<ResourceAttribute> attributes) {
  attributes_.reserve(attributes.size());
  for (ResourceAttribute& a : attributes) {
    set_attribute(attributes_, std::move(a.key), std::move(a.value));
  }
}

Resource Resource::from_environment() {
  std::vector<ResourceAttribute> attributes;
  attributes.push_back({"telemetry.sdk.name", std::string("hoptrace")});
  attributes.push_back({"telemetry.sdk.language", std::string("cpp")});
  attributes.push_back({"telemetry.sdk.version", std::string(kSdkVersion)});
  const std::string exe = executable_name();
  attributes.push_back({"service.name", exe.empty() ? std::string("unknown_service")
                                                    : std::string("unknown_service:") + exe});
  Resource resource(std::move(attributes));

  if (const auto raw = export_env::value("OTEL_RESOURCE_ATTRIBUTES")) {
    resource = resource.merge(Resource(parse_resource_attributes(*raw)));
  }
  if (const auto name = export_env::value("OTEL_SERVICE_NAME")) {
    resource = resource.merge(Resource({{"service.name", *name}}));
  }
  return resource;
}

Resource Resource::merge(const Resource& other) const {
  std::vector<ResourceAttribute> merged = attributes_;
  for (const ResourceAttribute& a : other.attributes_) set_attribute(merged, a.key, a.value);
  Resource result;
  result.attributes_ = std::move(merged);
  return result;
}

const OwnedAttributeValue* Resource::get(std::string_view key) const noexcept {
  for (const ResourceAttribute& a : attributes_) {
    if (a.key == key) return &a.value;
  }
  return nullptr;
}

std::string_view Resource::service_name() const noexcept {
  const OwnedAttributeValue* v = get("service.name");
  if (v == nullptr) return {};
  if (const auto* s = std::get_if<std::string>(v)) return *s;
  return {};
}

}  // namespace hoptrace::sdk
