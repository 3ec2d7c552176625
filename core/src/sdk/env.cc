#include "sdk/env.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace hoptrace::sdk::detail {

std::optional<std::string> env_value(const char* name) {
  const char* raw = std::getenv(name);
  if (raw == nullptr) return std::nullopt;
  std::string_view v(raw);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.empty()) return std::nullopt;
  return std::string(v);
}

void warn(std::string_view message) noexcept {
  std::fprintf(stderr, "hoptrace: %.*s\n", static_cast<int>(message.size()), message.data());
}

std::optional<std::uint64_t> env_uint(const char* name) {
  const std::optional<std::string> value = env_value(name);
  if (!value) return std::nullopt;
  std::uint64_t result = 0;
  bool ok = true;
  for (char c : *value) {
    if (c < '0' || c > '9' || result > (UINT64_MAX - 9) / 10) {
      ok = false;
      break;
    }
    result = result * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (!ok) {
    warn(std::string(name) + "='" + *value +
         "' is not a non-negative integer; ignoring it (using the default)");
    return std::nullopt;
  }
  return result;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace hoptrace::sdk::detail
