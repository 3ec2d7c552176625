#include "hoptrace/core/ids.h"

#include "hoptrace/core/detail/hex.h"

namespace hoptrace {
namespace {

template <std::size_t N>
bool all_zero(const std::array<std::uint8_t, N>& bytes) noexcept {
  std::uint8_t acc = 0;
  for (std::uint8_t b : bytes) acc |= b;
  return acc == 0;
}

void store_be64(std::uint64_t v, std::uint8_t* out) noexcept {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<std::uint8_t>(v & 0xff);
    v >>= 8;
  }
}

std::uint64_t load_be64(const std::uint8_t* in) noexcept {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | in[i];
  return v;
}

// Left-pads an odd or short hex string into `n` bytes; false on bad digits or overlength.
bool decode_padded(std::string_view hex, std::uint8_t* out, std::size_t n) noexcept {
  if (hex.empty() || hex.size() > 2 * n) return false;
  char buf[32];
  const std::size_t pad = 2 * n - hex.size();
  for (std::size_t i = 0; i < pad; ++i) buf[i] = '0';
  for (std::size_t i = 0; i < hex.size(); ++i) buf[pad + i] = hex[i];
  return detail::decode_hex(buf, out, n, /*allow_upper=*/true);
}

}  // namespace

TraceId TraceId::from_u64(std::uint64_t high, std::uint64_t low) noexcept {
  TraceId id;
  store_be64(high, id.bytes_.data());
  store_be64(low, id.bytes_.data() + 8);
  return id;
}

std::optional<TraceId> TraceId::from_hex(std::string_view hex) noexcept {
  TraceId id;
  if (hex.size() != kHexLength ||
      !detail::decode_hex(hex.data(), id.bytes_.data(), kSize, /*allow_upper=*/false)) {
    return std::nullopt;
  }
  return id;
}

std::optional<TraceId> TraceId::from_hex_padded(std::string_view hex) noexcept {
  TraceId id;
  if (!decode_padded(hex, id.bytes_.data(), kSize)) return std::nullopt;
  return id;
}

bool TraceId::is_valid() const noexcept { return !all_zero(bytes_); }
std::uint64_t TraceId::high() const noexcept { return load_be64(bytes_.data()); }
std::uint64_t TraceId::low() const noexcept { return load_be64(bytes_.data() + 8); }
void TraceId::to_hex(char* out) const noexcept { detail::encode_hex(bytes_.data(), kSize, out); }
std::string TraceId::to_hex() const {
  std::string s(kHexLength, '0');
  to_hex(s.data());
  return s;
}

SpanId SpanId::from_u64(std::uint64_t value) noexcept {
  SpanId id;
  store_be64(value, id.bytes_.data());
  return id;
}

std::optional<SpanId> SpanId::from_hex(std::string_view hex) noexcept {
  SpanId id;
  if (hex.size() != kHexLength ||
      !detail::decode_hex(hex.data(), id.bytes_.data(), kSize, /*allow_upper=*/false)) {
    return std::nullopt;
  }
  return id;
}

std::optional<SpanId> SpanId::from_hex_padded(std::string_view hex) noexcept {
  SpanId id;
  if (!decode_padded(hex, id.bytes_.data(), kSize)) return std::nullopt;
  return id;
}

bool SpanId::is_valid() const noexcept { return !all_zero(bytes_); }
std::uint64_t SpanId::to_u64() const noexcept { return load_be64(bytes_.data()); }
void SpanId::to_hex(char* out) const noexcept { detail::encode_hex(bytes_.data(), kSize, out); }
std::string SpanId::to_hex() const {
  std::string s(kHexLength, '0');
  to_hex(s.data());
  return s;
}

}  // namespace hoptrace
