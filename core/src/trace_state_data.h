#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hoptrace/core/trace_state.h"

// TraceState internals shared by its parsers and its accessors. Private to hoptrace_core.
namespace hoptrace::detail {

// A header too long to be stored inline: a reference count and, right after it, the text.
struct TraceStateBlock {
  std::atomic<std::uint32_t> refs{1};
  char* text() noexcept { return reinterpret_cast<char*>(this + 1); }
};

// The one way to fill a TraceState's storage.
class TraceStateWriter {
 public:
  // Makes the empty `out` hold a `length`-character header with `members` members and returns
  // where to write its text: inside `out` when it fits, else in a new heap block. Returns
  // nullptr (and leaves `out` empty) when the block cannot be allocated: the per-message path
  // then degrades to "no tracestate" instead of throwing.
  static char* reserve(TraceState& out, std::size_t length, std::size_t members) noexcept {
    if (length <= TraceState::kInlineCapacity) {
      out.length_ = static_cast<std::uint8_t>(length);
      out.members_ = static_cast<std::uint8_t>(members);
      return out.bytes_;
    }
    return reserve_heap(out, length, members);
  }
  static bool is_inline(const TraceState& state) noexcept {
    return state.length_ != TraceState::kOnHeap;
  }

 private:
  static char* reserve_heap(TraceState& out, std::size_t length, std::size_t members) noexcept;
};

// Character classes of the Level 2 grammar, looked up once per byte.
inline constexpr std::uint8_t kKeyFirst = 1;      // lcalpha / DIGIT
inline constexpr std::uint8_t kKeyChar = 2;       // lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"
inline constexpr std::uint8_t kValueChar = 4;     // %x20-2B / %x2D-3C / %x3E-7E
inline constexpr std::uint8_t kValueNoSpace = 8;  // kValueChar without SP (normal form, no OWS)

constexpr std::array<std::uint8_t, 256> make_trace_state_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] |= kKeyFirst | kKeyChar;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] |= kKeyFirst | kKeyChar;
  for (char c : {'_', '-', '*', '/', '@'}) t[static_cast<unsigned char>(c)] |= kKeyChar;
  for (int c = 0x20; c <= 0x7e; ++c) {
    if (c != ',' && c != '=') t[static_cast<std::size_t>(c)] |= kValueChar;
    if (c != ',' && c != '=' && c != ' ') t[static_cast<std::size_t>(c)] |= kValueNoSpace;
  }
  return t;
}
inline constexpr std::array<std::uint8_t, 256> kTraceStateClasses = make_trace_state_classes();

constexpr bool has_trace_state_class(char c, std::uint8_t cls) noexcept {
  return (kTraceStateClasses[static_cast<unsigned char>(c)] & cls) != 0;
}

// The fast path for the header every well-behaved sender produces (already normal form: no
// whitespace, no empty or duplicate members, within every limit): validates it in one pass and
// copies it as a block. Returns false, leaving `out` untouched, for anything else; the general
// parser then decides. Never accepts what the general parser would change or reject.
bool parse_trace_state_normal_form(std::string_view header, TraceState& out) noexcept;

// The general parser: every input, with the error reason.
TraceState parse_trace_state_general(std::string_view header, TraceStateError* error) noexcept;

}  // namespace hoptrace::detail
