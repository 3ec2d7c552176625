#include "env.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>

#include "hoptrace/core/detail/hex.h"

namespace hoptrace::otlp::env {

std::optional<std::string> value(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

std::optional<Found> traces_or_generic(std::string_view suffix) {
  for (const char* prefix : {"OTEL_EXPORTER_OTLP_TRACES_", "OTEL_EXPORTER_OTLP_"}) {
    std::string name(prefix);
    name.append(suffix);
    if (auto v = value(name.c_str())) return Found{std::move(name), std::move(*v)};
  }
  return std::nullopt;
}

void warn(std::string_view message) noexcept {
  try {
    std::string line = "hoptrace: ";
    line.append(message);
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), stderr);
  } catch (...) {
    // Out of memory while formatting a diagnostic: dropping the line is all we can do.
  }
}

void warn_once(const std::string& message) noexcept {
  static std::mutex mutex;
  static std::set<std::string>* reported = new std::set<std::string>();  // never destroyed
  try {
    std::lock_guard<std::mutex> lock(mutex);
    if (!reported->insert(message).second) return;
  } catch (...) {
    return;
  }
  warn(message);
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = detail::ascii_lower(c);
  return out;
}

bool is_true(const char* name) {
  const auto v = value(name);
  return v && detail::equals_ignore_case(trim(*v), "true");
}

}  // namespace hoptrace::otlp::env
