#include "hoptrace/core/messaging/utf8.h"

#include <cstdint>

namespace hoptrace::messaging {

bool is_valid_utf8(std::string_view bytes) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* const end = p + bytes.size();
  while (p < end) {
    const unsigned char lead = *p;
    if (lead < 0x80) {
      ++p;
      continue;
    }
    std::size_t length = 0;
    // The second byte's range depends on the lead byte: that is how overlong forms, surrogates
    // and code points above U+10FFFF are excluded (RFC 3629 §4).
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) < length) return false;
    if (p[1] < low || p[1] > high) return false;
    for (std::size_t i = 2; i < length; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
    }
    p += length;
  }
  return true;
}

std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes) noexcept {
  if (text.size() <= max_bytes) return text.size();
  std::size_t n = max_bytes;
  // A sequence is at most 4 bytes, so at most 3 continuation bytes precede the cut; backing up
  // further would only happen on ill-formed input, where any cut is as good as another.
  for (int backed = 0; n > 0 && backed < 3; ++backed) {
    const auto byte = static_cast<unsigned char>(text[n]);
    if ((byte & 0xC0) != 0x80) break;
    --n;
  }
  if (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) return max_bytes;
  return n;
}

}  // namespace hoptrace::messaging
