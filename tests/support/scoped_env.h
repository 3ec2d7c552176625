#pragma once

// The one environment-variable guard of the test suites (unit, otlp, kafka): a test changes
// the variables the code under test reads, and every one is back as it was when the guard
// goes out of scope, so no test sees another's environment.

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hoptrace::testing {

/// Sets or unsets environment variables for one scope and restores each one's earlier value
/// (or its absence) on destruction, in reverse order. Not thread-safe, like setenv itself.
class ScopedEnv {
 public:
  /// Guards nothing yet; set() and unset() add variables.
  ScopedEnv() = default;
  /// Sets `name` to `value`, or unsets it when `value` is nullopt.
  ScopedEnv(const char* name, std::optional<std::string> value) { set(name, std::move(value)); }
  ~ScopedEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        ::unsetenv(it->first.c_str());
      }
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

  /// Sets `name` (unsets it for nullopt); its value from before the first change comes back
  /// at the end of the scope.
  void set(const char* name, std::optional<std::string> value) {
    save(name);
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  void unset(const char* name) { set(name, std::nullopt); }

 private:
  void save(const char* name) {
    for (const auto& entry : saved_) {
      if (entry.first == name) return;  // the first change saved the value to restore
    }
    const char* old = std::getenv(name);
    saved_.emplace_back(name, old != nullptr ? std::optional<std::string>(old) : std::nullopt);
  }

  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace hoptrace::testing
