// The tracestate fast path: a header already in normal form is validated in one pass and kept
// verbatim. Everything it accepts the general parser would accept unchanged (tested on random
// inputs in trace_state_parse_test.cc and by trace_state_fast_path_fuzzer); anything else goes
// to the general parser.
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "short_bytes.h"
#include "trace_state_data.h"

namespace hoptrace::detail {
namespace {

std::uint8_t class_of(char c) noexcept { return kTraceStateClasses[static_cast<unsigned char>(c)]; }

// The first byte in [p, end) that is not kValueNoSpace (%x21-2B / %x2D-3C / %x3E-7E), or end.
// Values are most of a header's bytes (ids, hex, base64), so they are scanned 16 at a time
// while 16 bytes remain. The loads read the header in place: scanning a padded copy instead
// cost more than it saved (a load that spans two of the copy's stores cannot be forwarded).
const char* skip_value_chars(const char* p, const char* end) noexcept {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i del = _mm_set1_epi8(0x7f);
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i equals = _mm_set1_epi8('=');
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Signed compares: bytes >= 0x80 are negative, so not above the space.
    const __m128i printable = _mm_and_si128(_mm_cmpgt_epi8(x, space), _mm_cmplt_epi8(x, del));
    const __m128i separator = _mm_or_si128(_mm_cmpeq_epi8(x, comma), _mm_cmpeq_epi8(x, equals));
    const auto ok =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(separator, printable)));
    if (ok != 0xffff) return p + __builtin_ctz(~ok);
    p += 16;
  }
#endif
  while (p != end && (class_of(*p) & kValueNoSpace) != 0) ++p;
  return p;
}

}  // namespace

bool parse_trace_state_normal_form(std::string_view header, TraceState& out) noexcept {
  const std::size_t size = header.size();
  // Longer headers need the cap; an empty one is the empty state either way.
  if (size == 0 || size > TraceState::kMaxPropagatedLength) return false;
  const char* const begin = header.data();
  const char* const end = begin + size;

  // Keys seen so far, for the duplicate check (offsets fit: size <= 512).
  std::uint16_t key_at[TraceState::kMaxMembers];
  std::uint16_t key_length[TraceState::kMaxMembers];
  std::size_t members = 0;
  const char* p = begin;
  for (;;) {
    const char* const key = p;
    if ((class_of(*p) & kKeyFirst) == 0) return false;
    do {
      ++p;
    } while (p != end && (class_of(*p) & kKeyChar) != 0);
    if (p == end || *p != '=') return false;
    const auto klen = static_cast<std::size_t>(p - key);
    const char* const value = ++p;
    // No whitespace at all: a value with inner spaces is legal but left to the general parser.
    p = skip_value_chars(p, end);
    const auto vlen = static_cast<std::size_t>(p - value);
    if (klen > TraceState::kMaxKeyLength || vlen == 0 || vlen > TraceState::kMaxValueLength ||
        members == TraceState::kMaxMembers) {
      return false;
    }
    for (std::size_t i = 0; i < members; ++i) {
      if (key_length[i] == klen && equal_short(begin + key_at[i], key, klen)) return false;
    }
    key_at[members] = static_cast<std::uint16_t>(key - begin);
    key_length[members] = static_cast<std::uint16_t>(klen);
    ++members;
    if (p == end) break;
    // Only a comma followed by another member continues normal form (no empty last member).
    if (*p != ',' || ++p == end) return false;
  }
  char* const text = TraceStateWriter::reserve(out, size, members);
  if (text == nullptr) return false;  // the general parser degrades the same way
  copy_short(text, begin, size);
  return true;
}

}  // namespace hoptrace::detail
