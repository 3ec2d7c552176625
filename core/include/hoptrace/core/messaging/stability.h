#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "hoptrace/core/messaging/operation.h"

namespace hoptrace::messaging {

/// What `OTEL_SEMCONV_STABILITY_OPT_IN` asks for, for the `messaging` category (spec §1.1).
enum class SemconvStabilityMode : std::uint8_t {
  /// Unset (or no messaging entry): instrumentations with legacy output keep it. hoptrace has no
  /// legacy output, so it emits the current conventions in this mode too.
  kDefault,
  /// `messaging`: emit only the current conventions.
  kCurrent,
  /// `messaging/dup`: emit the old and the current attributes (wins over `messaging`). Span
  /// name and kind, being single-valued, take the current value.
  kDuplicate,
};

/// The environment variable the mode is read from.
inline constexpr std::string_view kSemconvStabilityOptInEnv = "OTEL_SEMCONV_STABILITY_OPT_IN";

/// Parses the variable's value: a comma-separated list, entries trimmed of spaces and tabs and
/// compared case-insensitively; entries for other categories (`http`, `database/dup`...) are
/// ignored. `messaging/dup` wins over `messaging`. Never fails: anything else is kDefault.
SemconvStabilityMode parse_semconv_stability_opt_in(std::string_view value) noexcept;

/// Reads OTEL_SEMCONV_STABILITY_OPT_IN from the environment (unset or empty = kDefault).
/// Call at set-up, not per message (getenv is not free and not synchronised with setenv).
SemconvStabilityMode semconv_stability_from_environment() noexcept;

/// Whether an adapter that has a legacy form should also emit it. Always false today except
/// under kDuplicate: hoptrace emits the current conventions only, and exposes the map below
/// for adapters that later gain dual emission.
constexpr bool emits_legacy_attributes(SemconvStabilityMode mode) noexcept {
  return mode == SemconvStabilityMode::kDuplicate;
}

/// How a value changes between the old and the new attribute.
enum class ValueConversion : std::uint8_t {
  kNone,           ///< same type and value
  kIntToString,    ///< old int, new string (Kafka partition)
  kOperationType,  ///< value mapping, see legacy_operation_value()
  kRemoved,        ///< the old attribute has no replacement
};

/// One deprecated messaging attribute and its replacement (spec §1.10).
struct DeprecatedAttribute {
  std::string_view old_key;
  std::string_view new_key;  ///< empty when removed without replacement
  ValueConversion conversion;
};

/// Every deprecated messaging attribute with a replacement or a removal (semconv
/// `model/messaging/deprecated`), old -> new. Static storage.
inline constexpr std::array<DeprecatedAttribute, 7> kDeprecatedAttributes = {{
    {"messaging.operation", "messaging.operation.type", ValueConversion::kOperationType},
    {"messaging.client_id", "messaging.client.id", ValueConversion::kNone},
    {"messaging.kafka.consumer.group", "messaging.consumer.group.name", ValueConversion::kNone},
    {"messaging.kafka.destination.partition", "messaging.destination.partition.id",
     ValueConversion::kIntToString},
    {"messaging.kafka.message.offset", "messaging.kafka.offset", ValueConversion::kNone},
    {"messaging.destination_publish.anonymous", "", ValueConversion::kRemoved},
    {"messaging.destination_publish.name", "", ValueConversion::kRemoved},
}};

/// The current key replacing `old_key`; nullopt if `old_key` is not a deprecated messaging key,
/// an empty view if it was removed without replacement.
std::optional<std::string_view> current_attribute_key(std::string_view old_key) noexcept;

/// The deprecated key a current key replaced (for dual emission); nullopt if none.
std::optional<std::string_view> legacy_attribute_key(std::string_view current_key) noexcept;

/// The old `messaging.operation` value of an operation type: `send` was `publish`, `process`
/// was `deliver`; the others are unchanged.
constexpr std::string_view legacy_operation_value(OperationType type) noexcept {
  switch (type) {
    case OperationType::kSend:
      return "publish";
    case OperationType::kProcess:
      return "deliver";
    default:
      return to_string(type);
  }
}

/// One renamed messaging metric (spec §1.9), old -> new.
struct DeprecatedMetric {
  std::string_view old_name;
  std::string_view new_name;
};

/// The renamed messaging metrics. Static storage.
inline constexpr std::array<DeprecatedMetric, 6> kDeprecatedMetrics = {{
    {"messaging.publish.duration", "messaging.client.operation.duration"},
    {"messaging.receive.duration", "messaging.client.operation.duration"},
    {"messaging.publish.messages", "messaging.client.sent.messages"},
    {"messaging.client.published.messages", "messaging.client.sent.messages"},
    {"messaging.receive.messages", "messaging.client.consumed.messages"},
    {"messaging.process.messages", "messaging.client.consumed.messages"},
}};

}  // namespace hoptrace::messaging
