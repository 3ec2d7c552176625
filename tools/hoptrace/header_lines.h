#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace hoptrace::cli {

/// One `name: value` line of input, as the user wrote it (name case kept, value trimmed).
struct HeaderLine {
  std::string name;
  std::string value;
  std::size_t line_number = 0;
};

/// A line that is not `name: value`.
struct HeaderLineError {
  std::size_t line_number = 0;
  std::string message;  ///< what was wrong and what was expected
};

/// Reads header lines as they are copied from a request or message dump: one
/// `name: value` per line, names in any case, spaces and tabs around names and values trimmed,
/// CRLF or LF endings, blank lines ignored, repeated names kept in order. Stops at the first
/// line that is not a header (no `:` or an empty name) and returns its error; `lines` then
/// holds the lines before it.
std::optional<HeaderLineError> read_header_lines(std::istream& in, std::vector<HeaderLine>& lines);

}  // namespace hoptrace::cli
