#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace hoptrace::detail {

// Table-driven hex for the per-message path: one load per digit instead of range compares, and
// one 2-byte copy per encoded byte. Private to the core: the public detail/hex.h stays simple.

constexpr std::array<std::int8_t, 256> make_lower_hex_values() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = '0'; c <= '9'; ++c)
    t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) {
    t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
  }
  return t;
}
inline constexpr std::array<std::int8_t, 256> kLowerHexValues = make_lower_hex_values();

/// Decodes 2*n lowercase hex digits (W3C HEXDIGLC) into n bytes; false on any other character.
/// `out` may be partly written on failure.
inline bool decode_lower_hex(const char* hex, std::uint8_t* out, std::size_t n) noexcept {
  int invalid = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const int hi = kLowerHexValues[static_cast<unsigned char>(hex[2 * i])];
    const int lo = kLowerHexValues[static_cast<unsigned char>(hex[2 * i + 1])];
    invalid |= hi | lo;  // -1 sets the sign bit
    out[i] = static_cast<std::uint8_t>((static_cast<unsigned>(hi) << 4) |
                                       (static_cast<unsigned>(lo) & 0x0fu));
  }
  return invalid >= 0;
}

constexpr std::array<char, 512> make_hex_pairs() {
  constexpr char kDigits[] = "0123456789abcdef";
  std::array<char, 512> t{};
  for (std::size_t b = 0; b < 256; ++b) {
    t[2 * b] = kDigits[b >> 4];
    t[2 * b + 1] = kDigits[b & 0x0f];
  }
  return t;
}
inline constexpr std::array<char, 512> kLowerHexPairs = make_hex_pairs();

/// Writes 2*n lowercase hex digits for n bytes (no terminator).
inline void encode_lower_hex(const std::uint8_t* bytes, std::size_t n, char* out) noexcept {
  for (std::size_t i = 0; i < n; ++i) std::memcpy(out + 2 * i, &kLowerHexPairs[2 * bytes[i]], 2);
}

}  // namespace hoptrace::detail
