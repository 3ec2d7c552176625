#include "header_lines.h"

#include <string_view>

#include "text_layout.h"

namespace hoptrace::cli {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string excerpt(std::string_view line) {
  return printable(line.size() > 60 ? std::string(line.substr(0, 57)) + "..." : std::string(line));
}

}  // namespace

std::optional<HeaderLineError> read_header_lines(std::istream& in, std::vector<HeaderLine>& lines) {
  std::string raw;
  std::size_t number = 0;
  while (std::getline(in, raw)) {
    ++number;
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (number == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (trim(line).empty()) continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return HeaderLineError{number, "input line " + std::to_string(number) + " \"" +
                                         excerpt(line) +
                                         "\" is not a header: expected `name: value`"};
    }
    const std::string_view name = trim(line.substr(0, colon));
    if (name.empty()) {
      return HeaderLineError{number, "input line " + std::to_string(number) + " \"" +
                                         excerpt(line) + "\" has no header name before the ':'"};
    }
    if (name.find_first_of(" \t") != std::string_view::npos) {
      return HeaderLineError{number, "input line " + std::to_string(number) + " \"" +
                                         excerpt(line) + "\": a header name cannot contain spaces"};
    }
    lines.push_back({std::string(name), std::string(trim(line.substr(colon + 1))), number});
  }
  return std::nullopt;
}

}  // namespace hoptrace::cli
