#include "text_layout.h"

#include <cstdio>
#include <ctime>

namespace hoptrace::cli {
namespace {

bool is_continuation_byte(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

}  // namespace

std::size_t display_width(std::string_view text) noexcept {
  std::size_t width = 0;
  for (char c : text) {
    if (!is_continuation_byte(c)) ++width;
  }
  return width;
}

std::string truncate_to_width(std::string_view text, std::size_t width, std::string_view ellipsis) {
  if (display_width(text) <= width) return std::string(text);
  const std::size_t ellipsis_width = display_width(ellipsis);
  const std::size_t keep = width > ellipsis_width ? width - ellipsis_width : 0;
  std::size_t columns = 0;
  std::size_t end = 0;
  // Cut on a code point boundary so the result stays valid UTF-8.
  while (end < text.size()) {
    if (!is_continuation_byte(text[end])) {
      if (columns == keep) break;
      ++columns;
    }
    ++end;
  }
  std::string out(text.substr(0, end));
  out.append(ellipsis.data(), ellipsis.size());
  return out;
}

std::string pad_right(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t have = display_width(text);
  if (have < width) out.append(width - have, ' ');
  return out;
}

std::string pad_left(std::string_view text, std::size_t width) {
  const std::size_t have = display_width(text);
  std::string out;
  if (have < width) out.append(width - have, ' ');
  out.append(text.data(), text.size());
  return out;
}

std::string printable(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20U || byte == 0x7FU) c = '?';
  }
  return out;
}

std::string format_duration(std::uint64_t nanos, std::string_view micro) {
  char buf[48];
  const auto value = static_cast<double>(nanos);
  auto scaled = [&](double unit, std::string_view suffix) {
    const double v = value / unit;
    const int suffix_len = static_cast<int>(suffix.size());
    // Pick the precision from the rounded value so 9.996 prints as 10.0, not 10.00.
    const int precision = v < 9.995 ? 2 : (v < 99.95 ? 1 : 0);
    std::snprintf(buf, sizeof buf, "%.*f%.*s", precision, v, suffix_len, suffix.data());
    return std::string(buf);
  };
  if (nanos < 1000U) {
    std::snprintf(buf, sizeof buf, "%uns", static_cast<unsigned>(nanos));
    return buf;
  }
  // Below each threshold the value still rounds to under 1000 of the smaller unit.
  if (nanos < 999'500U) return scaled(1e3, micro);
  if (nanos < 999'500'000U) return scaled(1e6, "ms");
  if (nanos < 60'000'000'000U) return scaled(1e9, "s");
  const std::uint64_t seconds = nanos / 1'000'000'000U;
  if (seconds < 3600U) {
    std::snprintf(buf, sizeof buf, "%um%02us", static_cast<unsigned>(seconds / 60U),
                  static_cast<unsigned>(seconds % 60U));
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%lluh%02um", static_cast<unsigned long long>(seconds / 3600U),
                static_cast<unsigned>((seconds / 60U) % 60U));
  return buf;
}

std::string format_timestamp(std::uint64_t unix_nanos) {
  const auto seconds = static_cast<std::time_t>(unix_nanos / 1'000'000'000U);
  const auto micros = static_cast<unsigned>((unix_nanos % 1'000'000'000U) / 1000U);
  std::tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr) return "?";
  char date[32];
  if (std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &utc) == 0) return "?";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s.%06uZ", date, micros);
  return buf;
}

}  // namespace hoptrace::cli
