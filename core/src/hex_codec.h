#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "short_bytes.h"

// Lowercase hex for ids on the per-message path, 8 bytes (16 digits) per step: with SSE2 one
// vector each way, elsewhere a portable 64-bit-word version (SWAR) on little-endian targets and
// a byte loop on the rest. Decoding accepts exactly W3C HEXDIGLC (0-9, a-f) and validates every
// digit before reporting success. Private to hoptrace_core; the public detail/hex.h stays simple.
namespace hoptrace::detail {

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOPTRACE_HEX_SWAR 1
#endif

/// The scalar reference both fast paths are tested against.
namespace hex_scalar {

constexpr int lower_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

inline void encode(const std::uint8_t* bytes, std::size_t n, char* out) noexcept {
  constexpr char kDigits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
}

inline bool decode(const char* hex, std::uint8_t* out, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    const int hi = lower_value(hex[2 * i]);
    const int lo = lower_value(hex[2 * i + 1]);
    if ((hi | lo) < 0) return false;
    out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return true;
}

}  // namespace hex_scalar

#if defined(HOPTRACE_HEX_SWAR)
namespace hex_swar {

// 4 bytes (as loaded little-endian) to their 8 digits (as a little-endian word).
inline std::uint64_t encode4(std::uint32_t bytes) noexcept {
  std::uint64_t x = bytes;
  x = (x | (x << 16)) & 0x0000ffff0000ffffull;
  x = (x | (x << 8)) & 0x00ff00ff00ff00ffull;  // byte 2i = input byte i
  const std::uint64_t nibbles =
      ((x >> 4) & 0x000f000f000f000full) | ((x & 0x000f000f000f000full) << 8);
  // 1 in each byte whose nibble is 10..15 (adding 6 carries into bit 4), then 'a' - '0' - 10.
  const std::uint64_t letters = ((nibbles + 0x0606060606060606ull) >> 4) & 0x0101010101010101ull;
  return nibbles + 0x3030303030303030ull + letters * 39;
}

// 8 digits (loaded little-endian) to 4 bytes; false unless every digit is 0-9 or a-f.
inline bool decode8(std::uint64_t digits, std::uint32_t& bytes) noexcept {
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  const std::uint64_t low7 = digits & ~kHigh;  // below, no addition carries across bytes
  const std::uint64_t ge_0 = low7 + 0x5050505050505050ull;  // bit 7: >= '0'
  const std::uint64_t gt_9 = low7 + 0x4646464646464646ull;  // bit 7: >  '9'
  const std::uint64_t ge_a = low7 + 0x1f1f1f1f1f1f1f1full;  // bit 7: >= 'a'
  const std::uint64_t gt_f = low7 + 0x1919191919191919ull;  // bit 7: >  'f'
  const std::uint64_t digit = ge_0 & ~gt_9;
  const std::uint64_t letter = ge_a & ~gt_f;
  if ((((digit | letter) & ~digits) & kHigh) != kHigh) return false;
  const std::uint64_t values = (digits & 0x0f0f0f0f0f0f0f0full) + (((letter & kHigh) >> 7) * 9);
  // Byte 2i gets (digit 2i << 4) | digit 2i+1, then the even bytes are packed together.
  std::uint64_t w = ((values << 4) | (values >> 8)) & 0x00ff00ff00ff00ffull;
  w = (w | (w >> 8)) & 0x0000ffff0000ffffull;
  w = (w | (w >> 16)) & 0x00000000ffffffffull;
  bytes = static_cast<std::uint32_t>(w);
  return true;
}

}  // namespace hex_swar
#endif

#if defined(__SSE2__)
namespace hex_sse2 {

// 8 bytes in the low half of `bytes` to 16 digits.
inline __m128i encode8(__m128i bytes) noexcept {
  const __m128i low_nibble = _mm_set1_epi8(0x0f);
  const __m128i hi = _mm_and_si128(_mm_srli_epi16(bytes, 4), low_nibble);
  const __m128i lo = _mm_and_si128(bytes, low_nibble);
  const __m128i nibbles = _mm_unpacklo_epi8(hi, lo);
  const __m128i letters =
      _mm_and_si128(_mm_cmpgt_epi8(nibbles, _mm_set1_epi8(9)), _mm_set1_epi8(39));
  return _mm_add_epi8(_mm_add_epi8(nibbles, _mm_set1_epi8('0')), letters);
}

// 16 digits to 8 bytes (in every 16-bit lane's low byte); `ok` false on any other character.
inline __m128i decode16(__m128i digits, bool& ok) noexcept {
  // Signed compares: bytes >= 0x80 are negative and fail both ranges.
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(digits, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(digits, _mm_set1_epi8('9' + 1)));
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(digits, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(digits, _mm_set1_epi8('f' + 1)));
  ok = _mm_movemask_epi8(_mm_or_si128(digit, letter)) == 0xffff;
  const __m128i values = _mm_add_epi8(_mm_and_si128(digits, _mm_set1_epi8(0x0f)),
                                      _mm_and_si128(letter, _mm_set1_epi8(9)));
  const __m128i pairs = _mm_or_si128(_mm_slli_epi16(values, 4), _mm_srli_epi16(values, 8));
  return _mm_and_si128(pairs, _mm_set1_epi16(0x00ff));
}

}  // namespace hex_sse2
#endif

/// Writes the 16 lowercase digits of 8 bytes.
inline void encode_lower_hex8(const std::uint8_t* bytes, char* out) noexcept {
#if defined(__SSE2__)
  const __m128i in = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(bytes));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), hex_sse2::encode8(in));
#elif defined(HOPTRACE_HEX_SWAR)
  store_u64(out, hex_swar::encode4(load_u32(bytes)));
  store_u64(out + 8, hex_swar::encode4(load_u32(bytes + 4)));
#else
  hex_scalar::encode(bytes, 8, out);
#endif
}

/// Writes the 32 lowercase digits of 16 bytes.
inline void encode_lower_hex16(const std::uint8_t* bytes, char* out) noexcept {
#if defined(__SSE2__)
  const __m128i in = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), hex_sse2::encode8(in));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16), hex_sse2::encode8(_mm_srli_si128(in, 8)));
#else
  encode_lower_hex8(bytes, out);
  encode_lower_hex8(bytes + 8, out + 16);
#endif
}

/// Writes 2*n lowercase hex digits for n bytes (no terminator).
inline void encode_lower_hex(const std::uint8_t* bytes, std::size_t n, char* out) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) encode_lower_hex8(bytes + i, out + 2 * i);
  hex_scalar::encode(bytes + i, n - i, out + 2 * i);
}

/// Decodes 16 lowercase hex digits into 8 bytes; false (and `out` unspecified) on any other
/// character.
inline bool decode_lower_hex8(const char* hex, std::uint8_t* out) noexcept {
#if defined(__SSE2__)
  bool ok = false;
  const __m128i pairs =
      hex_sse2::decode16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(hex)), ok);
  _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm_packus_epi16(pairs, pairs));
  return ok;
#elif defined(HOPTRACE_HEX_SWAR)
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  if (!hex_swar::decode8(load_u64(hex), a) || !hex_swar::decode8(load_u64(hex + 8), b)) {
    return false;
  }
  store_u32(out, a);
  store_u32(out + 4, b);
  return true;
#else
  return hex_scalar::decode(hex, out, 8);
#endif
}

/// Decodes 32 lowercase hex digits into 16 bytes; false on any other character.
inline bool decode_lower_hex16(const char* hex, std::uint8_t* out) noexcept {
#if defined(__SSE2__)
  bool ok_hi = false;
  bool ok_lo = false;
  const __m128i hi =
      hex_sse2::decode16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(hex)), ok_hi);
  const __m128i lo =
      hex_sse2::decode16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(hex + 16)), ok_lo);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_packus_epi16(hi, lo));
  return ok_hi & ok_lo;
#else
  return decode_lower_hex8(hex, out) && decode_lower_hex8(hex + 16, out + 8);
#endif
}

/// Decodes 2*n lowercase hex digits (W3C HEXDIGLC) into n bytes; false on any other character,
/// in which case `out` may be partly written.
inline bool decode_lower_hex(const char* hex, std::uint8_t* out, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    if (!decode_lower_hex8(hex + 2 * i, out + i)) return false;
  }
  return hex_scalar::decode(hex + 2 * i, out + i, n - i);
}

}  // namespace hoptrace::detail
