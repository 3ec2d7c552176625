#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hoptrace::detail {

inline constexpr char kLowerHexDigits[] = "0123456789abcdef";

/// The value of one hex digit, or -1. `allow_upper` accepts A-F too (W3C forbids them).
constexpr int hex_value(char c, bool allow_upper) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (allow_upper && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Decodes 2*n hex digits into n bytes. False on any non-hex digit.
inline bool decode_hex(const char* hex, std::uint8_t* out, std::size_t n,
                       bool allow_upper) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    const int hi = hex_value(hex[2 * i], allow_upper);
    const int lo = hex_value(hex[2 * i + 1], allow_upper);
    if ((hi | lo) < 0) return false;
    out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return true;
}

/// Writes 2*n lowercase hex digits.
inline void encode_hex(const std::uint8_t* bytes, std::size_t n, char* out) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kLowerHexDigits[bytes[i] >> 4];
    out[2 * i + 1] = kLowerHexDigits[bytes[i] & 0x0f];
  }
}

constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool equals_ignore_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

constexpr bool starts_with_ignore_case(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && equals_ignore_case(s.substr(0, prefix.size()), prefix);
}

}  // namespace hoptrace::detail
