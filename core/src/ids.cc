#include "hoptrace/core/ids.h"

#include "hex_codec.h"
#include "hoptrace/core/detail/hex.h"

namespace hoptrace {
namespace {

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


std::optional<TraceId> TraceId::from_hex(std::string_view hex) noexcept {
  TraceId id;
  if (hex.size() != kHexLength || !detail::decode_lower_hex16(hex.data(), id.bytes_.data())) {
    return std::nullopt;
  }
  return id;
}

std::optional<TraceId> TraceId::from_hex_padded(std::string_view hex) noexcept {
  TraceId id;
  if (!decode_padded(hex, id.bytes_.data(), kSize)) return std::nullopt;
  return id;
}

void TraceId::to_hex(char* out) const noexcept { detail::encode_lower_hex16(bytes_.data(), out); }
std::string TraceId::to_hex() const {
  std::string s(kHexLength, '0');
  to_hex(s.data());
  return s;
}


std::optional<SpanId> SpanId::from_hex(std::string_view hex) noexcept {
  SpanId id;
  if (hex.size() != kHexLength || !detail::decode_lower_hex8(hex.data(), id.bytes_.data())) {
    return std::nullopt;
  }
  return id;
}

std::optional<SpanId> SpanId::from_hex_padded(std::string_view hex) noexcept {
  SpanId id;
  if (!decode_padded(hex, id.bytes_.data(), kSize)) return std::nullopt;
  return id;
}

void SpanId::to_hex(char* out) const noexcept { detail::encode_lower_hex8(bytes_.data(), out); }
std::string SpanId::to_hex() const {
  std::string s(kHexLength, '0');
  to_hex(s.data());
  return s;
}

}  // namespace hoptrace
