#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

namespace hoptrace::sdk {

/// Caps on what one span may hold. What goes over a cap is dropped and counted in SpanData
/// (`attributes.dropped()`, `dropped_events`, `dropped_links`, per-event/link
/// `dropped_attributes`), which OTLP reports as the `dropped_*_count` fields.
struct SpanLimits {
  std::size_t attribute_count = 128;
  std::size_t event_count = 128;
  std::size_t link_count = 128;
  std::size_t attributes_per_event = 128;
  std::size_t attributes_per_link = 128;
  /// Longer string values are truncated (at a UTF-8 character boundary). Unlimited by default.
  std::size_t attribute_value_length = std::numeric_limits<std::size_t>::max();

  /// Defaults overridden by `OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT`, `OTEL_SPAN_EVENT_COUNT_LIMIT`,
  /// `OTEL_SPAN_LINK_COUNT_LIMIT`, `OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT`,
  /// `OTEL_LINK_ATTRIBUTE_COUNT_LIMIT` and `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT`; the general
  /// `OTEL_ATTRIBUTE_COUNT_LIMIT` / `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT` apply where the specific
  /// variable is unset. Empty values count as unset; a value that is not a non-negative integer
  /// prints one warning on stderr and is ignored.
  static SpanLimits from_environment();
};

}  // namespace hoptrace::sdk
