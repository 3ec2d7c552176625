#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hoptrace::cli {

/// Columns `text` takes on a terminal, counting one per UTF-8 code point (good enough for the
/// names and glyphs we print; wide CJK characters are under-counted).
std::size_t display_width(std::string_view text) noexcept;

/// `text` cut to at most `width` columns, ending in `ellipsis` when it was cut.
std::string truncate_to_width(std::string_view text, std::size_t width, std::string_view ellipsis);

/// `text` padded with spaces on the right (or left) to `width` columns; never truncated.
std::string pad_right(std::string_view text, std::size_t width);
std::string pad_left(std::string_view text, std::size_t width);

/// A copy safe to print on one line: control characters (newline, escape, ...) become `?`.
std::string printable(std::string_view text);

/// A human duration with three significant digits: `850ns`, `12.3us`, `1.25ms`, `2.50s`,
/// `3m05s`, `2h03m`. `micro` is the microsecond unit to use (`us` or `µs`).
std::string format_duration(std::uint64_t nanos, std::string_view micro);

/// UTC ISO 8601 with microseconds: `2026-11-22T03:00:00.123456Z`.
std::string format_timestamp(std::uint64_t unix_nanos);

}  // namespace hoptrace::cli
