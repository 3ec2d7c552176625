#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace hoptrace {

/// A 16-byte W3C trace id. All-zero is the invalid id.
class TraceId {
 public:
  static constexpr std::size_t kSize = 16;
  static constexpr std::size_t kHexLength = 32;

  constexpr TraceId() noexcept = default;
  explicit TraceId(const std::array<std::uint8_t, kSize>& bytes) noexcept : bytes_(bytes) {}
  /// From the two big-endian halves: `high` holds bytes 0-7, `low` bytes 8-15.
  static TraceId from_u64(std::uint64_t high, std::uint64_t low) noexcept;
  /// Parses exactly 32 lowercase hex digits (W3C). Returns nullopt on anything else; an all-zero
  /// value parses and yields an invalid id, so callers can tell "malformed" from "zero".
  static std::optional<TraceId> from_hex(std::string_view hex) noexcept;
  /// Parses 1 to 32 hex digits of either case and left-pads with zeros (B3, Jaeger, X-Ray
  /// style 64-bit ids).
  static std::optional<TraceId> from_hex_padded(std::string_view hex) noexcept;

  bool is_valid() const noexcept;
  const std::array<std::uint8_t, kSize>& bytes() const noexcept { return bytes_; }
  std::uint64_t high() const noexcept;
  std::uint64_t low() const noexcept;
  /// Writes 32 lowercase hex digits to `out` (no terminator).
  void to_hex(char* out) const noexcept;
  std::string to_hex() const;

  friend bool operator==(const TraceId& a, const TraceId& b) noexcept {
    return std::memcmp(a.bytes_.data(), b.bytes_.data(), kSize) == 0;
  }
  friend bool operator!=(const TraceId& a, const TraceId& b) noexcept { return !(a == b); }

 private:
  std::array<std::uint8_t, kSize> bytes_{};
};

/// An 8-byte span id. All-zero is the invalid id.
class SpanId {
 public:
  static constexpr std::size_t kSize = 8;
  static constexpr std::size_t kHexLength = 16;

  constexpr SpanId() noexcept = default;
  explicit SpanId(const std::array<std::uint8_t, kSize>& bytes) noexcept : bytes_(bytes) {}
  static SpanId from_u64(std::uint64_t value) noexcept;
  /// Exactly 16 lowercase hex digits.
  static std::optional<SpanId> from_hex(std::string_view hex) noexcept;
  /// 1 to 16 hex digits of either case, left-padded.
  static std::optional<SpanId> from_hex_padded(std::string_view hex) noexcept;

  bool is_valid() const noexcept;
  const std::array<std::uint8_t, kSize>& bytes() const noexcept { return bytes_; }
  std::uint64_t to_u64() const noexcept;
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
