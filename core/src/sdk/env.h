#pragma once

// Reading OpenTelemetry environment variables at set-up time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hoptrace::sdk::detail {

/// The variable's value with surrounding blanks removed; nullopt when unset or empty (OTel
/// treats an empty value as unset).
std::optional<std::string> env_value(const char* name);

/// Prints `hoptrace: <message>` and a newline on stderr.
void warn(std::string_view message) noexcept;

/// A non-negative decimal integer, or nullopt (with one warning naming `name`).
std::optional<std::uint64_t> env_uint(const char* name);

/// ASCII lower-case copy.
std::string to_lower(std::string_view s);

}  // namespace hoptrace::sdk::detail
