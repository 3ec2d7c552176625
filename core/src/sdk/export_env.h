#pragma once

// Reading OpenTelemetry environment variables for the export half of the SDK. Private.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hoptrace::sdk::export_env {

/// The variable's value, or nullopt when it is unset or empty (OTel: empty = unset).
std::optional<std::string> value(const char* name);

/// A positive decimal integer (surrounding blanks allowed). Anything else prints one warning on
/// stderr naming the variable, the value and the default used instead, and yields nullopt.
std::optional<std::uint64_t> positive_integer(const char* name, std::uint64_t default_value);

/// Writes "hoptrace: <message>\n" to stderr in one call (configuration warnings, cold path).
void warn(std::string_view message) noexcept;

/// `s` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view s) noexcept;

}  // namespace hoptrace::sdk::export_env
