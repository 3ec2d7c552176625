// The tracestate fast path: a header already in normal form is validated in one pass and kept
// verbatim. Everything it accepts the general parser would accept unchanged (tested on random
// inputs in trace_state_parse_test.cc and by trace_state_fast_path_fuzzer); anything else goes
// to the general parser.
#include <cstdint>

#include "short_bytes.h"
#include "trace_state_data.h"

namespace hoptrace::detail {

bool parse_trace_state_normal_form(std::string_view header, TraceState& out) noexcept {
  const std::size_t size = header.size();
  // Longer headers need the cap; an empty one is the empty state either way.
  if (size == 0 || size > TraceState::kMaxPropagatedLength) return false;
  const char* const begin = header.data();
  const char* const end = begin + size;
  const auto cls = [](char c) { return kTraceStateClasses[static_cast<unsigned char>(c)]; };

  // Keys seen so far, for the duplicate check (offsets fit: size <= 512).
  std::uint16_t key_at[TraceState::kMaxMembers];
  std::uint16_t key_length[TraceState::kMaxMembers];
  std::size_t members = 0;
  const char* p = begin;
  for (;;) {
    const char* const key = p;
    if ((cls(*p) & kKeyFirst) == 0) return false;
    do {
      ++p;
    } while (p != end && (cls(*p) & kKeyChar) != 0);
    if (p == end || *p != '=') return false;
    const auto klen = static_cast<std::size_t>(p - key);
    const char* const value = ++p;
    // No whitespace at all: a value with inner spaces is legal but left to the general parser.
    while (p != end && (cls(*p) & kValueNoSpace) != 0) ++p;
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
