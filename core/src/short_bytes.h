#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

// Copies and compares of short byte ranges (header names, ids, tracestate values) inline, with
// a few overlapping word moves instead of calls to memcpy/memcmp: on the per-message path the
// call and its size dispatch cost more than the bytes. Private to hoptrace_core.
namespace hoptrace::detail {

inline std::uint64_t load_u64(const void* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline std::uint32_t load_u32(const void* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline std::uint16_t load_u16(const void* p) noexcept {
  std::uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store_u64(void* p, std::uint64_t v) noexcept { std::memcpy(p, &v, sizeof v); }
inline void store_u32(void* p, std::uint32_t v) noexcept { std::memcpy(p, &v, sizeof v); }
inline void store_u16(void* p, std::uint16_t v) noexcept { std::memcpy(p, &v, sizeof v); }

/// Copies `n` bytes; the ranges must not overlap. Fastest for n <= 64, correct for any n.
inline void copy_short(char* dst, const char* src, std::size_t n) noexcept {
  if (n >= 16) {
    // 16-byte blocks (one vector move each where the target has them), the last one
    // overlapping the one before it.
    struct Block {
      char bytes[16];
    };
    Block b;
    for (std::size_t i = 0; i + 16 < n; i += 16) {
      std::memcpy(&b, src + i, 16);
      std::memcpy(dst + i, &b, 16);
    }
    std::memcpy(&b, src + n - 16, 16);
    std::memcpy(dst + n - 16, &b, 16);
  } else if (n >= 8) {
    const std::uint64_t a = load_u64(src);
    const std::uint64_t b = load_u64(src + n - 8);
    store_u64(dst, a);
    store_u64(dst + n - 8, b);
  } else if (n >= 4) {
    const std::uint32_t a = load_u32(src);
    const std::uint32_t b = load_u32(src + n - 4);
    store_u32(dst, a);
    store_u32(dst + n - 4, b);
  } else if (n >= 2) {
    const std::uint16_t a = load_u16(src);
    const std::uint16_t b = load_u16(src + n - 2);
    store_u16(dst, a);
    store_u16(dst + n - 2, b);
  } else if (n == 1) {
    *dst = *src;
  }
}

/// Whether the `n` bytes at `a` and `b` are equal. Fastest for n <= 16, correct for any n.
inline bool equal_short(const char* a, const char* b, std::size_t n) noexcept {
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (load_u64(a + i) != load_u64(b + i)) return false;
    }
    return load_u64(a + n - 8) == load_u64(b + n - 8);
  }
  if (n >= 4) {
    return ((load_u32(a) ^ load_u32(b)) | (load_u32(a + n - 4) ^ load_u32(b + n - 4))) == 0;
  }
  if (n >= 2) {
    return ((load_u16(a) ^ load_u16(b)) | (load_u16(a + n - 2) ^ load_u16(b + n - 2))) == 0;
  }
  return n == 0 || *a == *b;
}

// Each byte of `w` with ASCII A-Z mapped to a-z; other bytes (including >= 0x80) unchanged.
inline std::uint64_t ascii_lower_word(std::uint64_t w) noexcept {
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  const std::uint64_t low7 = w & ~kHigh;                           // no carries between bytes below
  const std::uint64_t at_least_a = low7 + 0x3f3f3f3f3f3f3f3full;   // bit 7 set if >= 'A'
  const std::uint64_t above_z = low7 + 0x2525252525252525ull;      // bit 7 set if > 'Z'
  const std::uint64_t upper = at_least_a & ~above_z & ~w & kHigh;  // ASCII upper case only
  return w | (upper >> 2);                                         // + 0x20
}

/// Whether the `n` bytes at `a` and `b` are equal ignoring ASCII case.
inline bool equal_ignore_case_short(const char* a, const char* b, std::size_t n) noexcept {
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (ascii_lower_word(load_u64(a + i)) != ascii_lower_word(load_u64(b + i))) return false;
    }
    return ascii_lower_word(load_u64(a + n - 8)) == ascii_lower_word(load_u64(b + n - 8));
  }
  for (std::size_t i = 0; i < n; ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] + 32) : a[i];
    const char y = (b[i] >= 'A' && b[i] <= 'Z') ? static_cast<char>(b[i] + 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

}  // namespace hoptrace::detail
