#pragma once

// Reading one attribute of a recorded span, with a marker value when it is unset or of
// another type, so an expectation on it fails with a readable value.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hoptrace/core/sdk/span_data.h"

namespace hoptrace::kafka::testing {

/// The value of attribute `key` of `span`, if set.
std::optional<AttributeValue> attribute(const sdk::SpanData& span, std::string_view key);
/// The string attribute `key`, or "<unset>" when it is missing or not a string.
std::string string_attribute(const sdk::SpanData& span, std::string_view key);
/// The integer attribute `key`, or -12345 when it is missing or not an integer.
std::int64_t int_attribute(const sdk::SpanData& span, std::string_view key);

}  // namespace hoptrace::kafka::testing
