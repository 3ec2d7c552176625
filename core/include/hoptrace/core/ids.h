#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace hoptrace {

// Big-endian 64-bit load and store, inline because ids are made and tested on every span.
inline void detail_store_be64(std::uint64_t v, std::uint8_t* out) noexcept {
#if defined(__GNUC__)
  v = __builtin_bswap64(v);
  std::memcpy(out, &v, sizeof v);
#else
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<std::uint8_t>(v & 0xff);
    v >>= 8;
  }
#endif
}
inline std::uint64_t detail_load_be64(const std::uint8_t* in) noexcept {
#if defined(__GNUC__)
  std::uint64_t v;
  std::memcpy(&v, in, sizeof v);
  return __builtin_bswap64(v);
#else
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | in[i];
  return v;
#endif
}

/// A 16-byte W3C trace id. All-zero is the invalid id.
class TraceId {
 public:
  static constexpr std::size_t kSize = 16;
  static constexpr std::size_t kHexLength = 32;

  constexpr TraceId() noexcept = default;
  explicit TraceId(const std::array<std::uint8_t, kSize>& bytes) noexcept : bytes_(bytes) {}
  /// From the two big-endian halves: `high` holds bytes 0-7, `low` bytes 8-15.
  static TraceId from_u64(std::uint64_t high, std::uint64_t low) noexcept {
    TraceId id;
    detail_store_be64(high, id.bytes_.data());
    detail_store_be64(low, id.bytes_.data() + 8);
    return id;
  }
  /// Parses exactly 32 lowercase hex digits (W3C). Returns nullopt on anything else; an all-zero
  /// value parses and yields an invalid id, so callers can tell "malformed" from "zero".
  static std::optional<TraceId> from_hex(std::string_view hex) noexcept;
  /// Parses 1 to 32 hex digits of either case and left-pads with zeros (B3, Jaeger, X-Ray
  /// style 64-bit ids).
  static std::optional<TraceId> from_hex_padded(std::string_view hex) noexcept;

  bool is_valid() const noexcept { return (raw64(0) | raw64(8)) != 0; }
  const std::array<std::uint8_t, kSize>& bytes() const noexcept { return bytes_; }
  std::uint64_t high() const noexcept { return detail_load_be64(bytes_.data()); }
  std::uint64_t low() const noexcept { return detail_load_be64(bytes_.data() + 8); }
  /// Writes 32 lowercase hex digits to `out` (no terminator).
  void to_hex(char* out) const noexcept;
  std::string to_hex() const;

  friend bool operator==(const TraceId& a, const TraceId& b) noexcept {
    return std::memcmp(a.bytes_.data(), b.bytes_.data(), kSize) == 0;
  }
  friend bool operator!=(const TraceId& a, const TraceId& b) noexcept { return !(a == b); }

 private:
  std::uint64_t raw64(std::size_t at) const noexcept {
    std::uint64_t v;
    std::memcpy(&v, bytes_.data() + at, sizeof v);
    return v;
  }
  std::array<std::uint8_t, kSize> bytes_{};
};

/// An 8-byte span id. All-zero is the invalid id.
class SpanId {
 public:
  static constexpr std::size_t kSize = 8;
  static constexpr std::size_t kHexLength = 16;

  constexpr SpanId() noexcept = default;
  explicit SpanId(const std::array<std::uint8_t, kSize>& bytes) noexcept : bytes_(bytes) {}
  static SpanId from_u64(std::uint64_t value) noexcept {
    SpanId id;
    detail_store_be64(value, id.bytes_.data());
    return id;
  }
  /// Exactly 16 lowercase hex digits.
  static std::optional<SpanId> from_hex(std::string_view hex) noexcept;
  /// 1 to 16 hex digits of either case, left-padded.
  static std::optional<SpanId> from_hex_padded(std::string_view hex) noexcept;

  bool is_valid() const noexcept { return to_u64() != 0; }
  const std::array<std::uint8_t, kSize>& bytes() const noexcept { return bytes_; }
  std::uint64_t to_u64() const noexcept { return detail_load_be64(bytes_.data()); }
  void to_hex(char* out) const noexcept;
  std::string to_hex() const;

  friend bool operator==(const SpanId& a, const SpanId& b) noexcept {
    return std::memcmp(a.bytes_.data(), b.bytes_.data(), kSize) == 0;
  }
  friend bool operator!=(const SpanId& a, const SpanId& b) noexcept { return !(a == b); }

 private:
  std::array<std::uint8_t, kSize> bytes_{};
};

/// W3C trace flags. Test bits, never compare the whole value: undefined bits may be set on
/// input and are cleared on output.
class TraceFlags {
 public:
  static constexpr std::uint8_t kSampled = 0x01;
  /// Level 2: the right-most 7 bytes of the trace id are random.
  static constexpr std::uint8_t kRandomTraceId = 0x02;
  /// The bits this version of the spec defines; the rest are sent as 0.
  static constexpr std::uint8_t kDefinedMask = kSampled | kRandomTraceId;

  constexpr TraceFlags() noexcept = default;
  constexpr explicit TraceFlags(std::uint8_t bits) noexcept : bits_(bits) {}

  constexpr bool sampled() const noexcept { return (bits_ & kSampled) != 0; }
  constexpr bool random_trace_id() const noexcept { return (bits_ & kRandomTraceId) != 0; }
  constexpr std::uint8_t bits() const noexcept { return bits_; }
  constexpr TraceFlags with_sampled(bool on) const noexcept {
    return TraceFlags(static_cast<std::uint8_t>(on ? (bits_ | kSampled) : (bits_ & ~kSampled)));
  }
  /// The flags as they go on the wire: undefined bits cleared.
  constexpr TraceFlags for_wire() const noexcept {
    return TraceFlags(static_cast<std::uint8_t>(bits_ & kDefinedMask));
  }

  friend constexpr bool operator==(TraceFlags a, TraceFlags b) noexcept {
    return a.bits_ == b.bits_;
  }
  friend constexpr bool operator!=(TraceFlags a, TraceFlags b) noexcept { return !(a == b); }

 private:
  std::uint8_t bits_ = 0;
};

}  // namespace hoptrace
