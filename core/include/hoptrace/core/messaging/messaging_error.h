#pragma once

#include <string_view>

#include "hoptrace/core/span.h"

namespace hoptrace::messaging {

/// The `error.type` actually recorded for `error_type`: the value itself when it looks like a
/// low-cardinality name (1..64 bytes, printable ASCII, no spaces: `UNKNOWN_TOPIC_OR_PARTITION`,
/// `amqp:decode-error`, `connection-forced`, `timeout`), otherwise `_OTHER`. This catches the
/// classic mistake of passing an error message, which would explode cardinality.
std::string_view sanitize_error_type(std::string_view error_type) noexcept;

/// Marks a failed messaging operation (spec §1.8): status Error with `description` (a
/// non-sensitive detail such as the client's error string), and `error.type` =
/// sanitize_error_type(error_type). Use the same error_type for the span and any metric.
///
/// Only for operations that failed for good: errors that were retried or handled successfully
/// are not recorded. On success do nothing: the status stays Unset and `error.type` absent.
void set_messaging_error(Span& span, std::string_view error_type,
                         std::string_view description = {}) noexcept;

}  // namespace hoptrace::messaging
