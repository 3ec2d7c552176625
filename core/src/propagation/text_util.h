#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "hoptrace/core/carrier.h"
#include "hoptrace/core/detail/hex.h"

// Small parsing helpers shared by the non-W3C propagators. Private to hoptrace_core.
namespace hoptrace::propagation_detail {

constexpr bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

/// `s` without leading and trailing spaces and tabs.
constexpr std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

/// The first value of `key` in message order (B3, Jaeger and X-Ray let the first one win,
/// whereas CarrierReader::get returns the last on broker carriers).
inline std::optional<std::string_view> first_value(const CarrierReader& carrier,
                                                   std::string_view key) noexcept {
  std::optional<std::string_view> found;
  carrier.for_each_value(key, [&](std::string_view v) {
    found = v;
    return false;
  });
  return found;
}

/// True when every character is a hex digit of either case.
constexpr bool is_hex(std::string_view s) noexcept {
  for (char c : s) {
    if (detail::hex_value(c, /*allow_upper=*/true) < 0) return false;
  }
  return true;
}

/// Splits off the text before the first `sep` (all of `s` when there is none) and advances `s`
/// past the separator. `found` tells whether a separator was consumed.
inline std::string_view next_token(std::string_view& s, char sep, bool* found = nullptr) noexcept {
  const std::size_t pos = s.find(sep);
  std::string_view token = s.substr(0, pos);
  if (found != nullptr) *found = pos != std::string_view::npos;
  s = pos == std::string_view::npos ? std::string_view() : s.substr(pos + 1);
  return token;
}

/// Percent-decodes `in` into `out` (capacity `cap`). Returns the decoded length, or nullopt on a
/// truncated or non-hex escape or when `out` is too small. `+` is left alone: these are header
/// values, not form data.
inline std::optional<std::size_t> percent_decode(std::string_view in, char* out,
                                                 std::size_t cap) noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (n == cap) return std::nullopt;
    if (in[i] != '%') {
      out[n++] = in[i];
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    const int hi = detail::hex_value(in[i + 1], true);
    const int lo = detail::hex_value(in[i + 2], true);
    if ((hi | lo) < 0) return std::nullopt;
    out[n++] = static_cast<char>((hi << 4) | lo);
    i += 2;
  }
  return n;
}

}  // namespace hoptrace::propagation_detail
