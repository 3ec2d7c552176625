#pragma once

// Environment and diagnostics helpers of hoptrace::otlp. Private.

#include <optional>
#include <string>
#include <string_view>

namespace hoptrace::otlp::env {

/// The variable's value, or nullopt when it is unset or empty (OpenTelemetry: empty = unset).
std::optional<std::string> value(const char* name);

/// The first of the per-signal (`OTEL_EXPORTER_OTLP_TRACES_<suffix>`) and generic
/// (`OTEL_EXPORTER_OTLP_<suffix>`) variables that is set, with the name it came from.
struct Found {
  std::string name;
  std::string value;
};
std::optional<Found> traces_or_generic(std::string_view suffix);

/// Writes "hoptrace: <message>\n" to stderr in one call.
void warn(std::string_view message) noexcept;

/// Like warn, but each distinct message is written once per process (configuration problems
/// are reported once even when several exporters read the same variables).
void warn_once(const std::string& message) noexcept;

std::string_view trim(std::string_view s) noexcept;
std::string lower(std::string_view s);

/// Only a case-insensitive `true` is true (OpenTelemetry booleans).
bool is_true(const char* name);

}  // namespace hoptrace::otlp::env
