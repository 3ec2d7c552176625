#include "sdk/export_env.h"

#include <cstdio>
#include <cstdlib>
#include <limits>

namespace hoptrace::sdk::export_env {

std::optional<std::string> value(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> positive_integer(const char* name, std::uint64_t default_value) {
  const std::optional<std::string> raw = value(name);
  if (!raw) return std::nullopt;
  const std::string_view digits = trim(*raw);
  std::uint64_t result = 0;
  bool ok = !digits.empty();
  for (const char c : digits) {
    if (c < '0' || c > '9' || result > (std::numeric_limits<std::uint64_t>::max() - 9) / 10) {
      ok = false;
      break;
    }
    result = result * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (!ok || result == 0) {
    warn(std::string(name) + "='" + *raw + "' is not a positive integer; using the default " +
         std::to_string(default_value));
    return std::nullopt;
  }
  return result;
}

void warn(std::string_view message) noexcept {
  try {
    std::string line;
    line.reserve(message.size() + 11);
    line.append("hoptrace: ").append(message).push_back('\n');
    std::fwrite(line.data(), 1, line.size(), stderr);
  } catch (...) {  // a warning that cannot be formatted is not worth failing set-up for
  }
}

}  // namespace hoptrace::sdk::export_env
