#include "hoptrace/core/trace_state.h"

#include <cstring>
#include <new>

#include "propagation/text_util.h"
#include "short_bytes.h"
#include "trace_state_data.h"

namespace hoptrace {
namespace {

using detail::has_trace_state_class;
using detail::kKeyChar;
using detail::kKeyFirst;
using detail::kValueChar;
using detail::TraceStateWriter;

constexpr bool has_class(char c, std::uint8_t cls) noexcept {
  return has_trace_state_class(c, cls);
}

using propagation_detail::is_ows;

// Entries longer than this are the first to go when the list must shrink (W3C truncation rule).
constexpr std::size_t kLongMember = 128;
// with() briefly holds a 33rd member before the right-most one is dropped.
constexpr std::size_t kScratchMembers = TraceState::kMaxMembers + 1;

struct Member {
  std::string_view key;
  std::string_view value;
  std::size_t length() const noexcept { return key.size() + 1 + value.size(); }
};

constexpr std::size_t kNoProtected = static_cast<std::size_t>(-1);

// Decides which members survive the kMaxPropagatedLength cap: whole members only, first those
// over 128 chars, then from the right. `protect` (a member just set by with()) is never chosen.
// Returns the combined length of the members kept.
std::size_t fit_to_cap(const Member* members, std::size_t n, bool* keep,
                       std::size_t protect) noexcept {
  std::size_t total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    keep[i] = true;
    total += members[i].length();
  }
  std::size_t kept = n;
  const auto too_long = [&] {
    return kept > 0 && total + kept - 1 > TraceState::kMaxPropagatedLength;
  };
  const auto drop = [&](std::size_t i) {
    keep[i] = false;
    total -= members[i].length();
    --kept;
  };
  for (std::size_t i = n; i-- > 0 && too_long();) {
    if (i != protect && members[i].length() > kLongMember) drop(i);
  }
  for (std::size_t i = n; i-- > 0 && too_long();) {
    if (i != protect && keep[i]) drop(i);
  }
  return kept > 0 ? total + kept - 1 : 0;
}

// Builds the stored form of the members that survive the cap; empty when none do (or when
// memory runs out: the per-message path degrades to "no tracestate" rather than throwing).
TraceState build(const Member* members, std::size_t n, std::size_t protect) noexcept {
  bool keep[kScratchMembers];
  const std::size_t length = fit_to_cap(members, n, keep, protect);
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) count += keep[i] ? 1 : 0;
  TraceState out;
  if (count == 0) return out;
  char* text = TraceStateWriter::reserve(out, length, count);
  if (text == nullptr) return out;
  std::size_t at = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!keep[i]) continue;
    if (at > 0) text[at++] = ',';
    const Member& m = members[i];
    detail::copy_short(text + at, m.key.data(), m.key.size());
    at += m.key.size();
    text[at++] = '=';
    detail::copy_short(text + at, m.value.data(), m.value.size());
    at += m.value.size();
  }
  return out;
}

// Visits the members of a normalised header (`k=v,k=v`, no whitespace, no empty members).
template <typename Visit>
void scan_members(std::string_view header, Visit&& visit) noexcept {
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    const std::string_view member = header.substr(pos, end - pos);
    const std::size_t eq = member.find('=');
    if (!visit(Member{member.substr(0, eq), member.substr(eq + 1)})) return;
    pos = end + 1;
  }
}

}  // namespace

bool TraceState::is_valid_key(std::string_view key) noexcept {
  if (key.empty() || key.size() > kMaxKeyLength || !has_class(key[0], kKeyFirst)) return false;
  for (std::size_t i = 1; i < key.size(); ++i) {
    if (!has_class(key[i], kKeyChar)) return false;
  }
  return true;
}

bool TraceState::is_valid_value(std::string_view value) noexcept {
  if (value.empty() || value.size() > kMaxValueLength || value.back() == ' ') return false;
  for (char c : value) {
    if (!has_class(c, kValueChar)) return false;
  }
  return true;
}

TraceState detail::parse_trace_state_general(std::string_view header,
                                             TraceStateError* error) noexcept {
  const auto fail = [error](TraceStateError e) {
    if (error != nullptr) *error = e;
    return TraceState();
  };
  if (error != nullptr) *error = TraceStateError::kNone;
  if (header.size() > TraceState::kMaxHeaderLength) return fail(TraceStateError::kTooLong);

  // One pass over the bytes, splitting and validating at once (this runs per message).
  Member members[TraceState::kMaxMembers];
  std::size_t n = 0;
  std::size_t seen = 0;  // non-empty members, duplicates included: the grammar counts them all
  const char* p = header.data();
  const char* const end = p + header.size();
  for (;;) {
    while (p < end && is_ows(*p)) ++p;
    if (p == end) break;
    if (*p == ',') {  // empty and whitespace-only members are allowed
      ++p;
      continue;
    }
    const char* const key_begin = p;
    while (p < end && has_class(*p, kKeyChar)) ++p;
    const auto key_length = static_cast<std::size_t>(p - key_begin);
    if (p == end || *p != '=') {
      while (p < end && is_ows(*p)) ++p;
      return fail(p == end || *p == ',' ? TraceStateError::kMissingEquals
                                        : TraceStateError::kInvalidKey);
    }
    if (key_length == 0 || key_length > TraceState::kMaxKeyLength ||
        !has_class(*key_begin, kKeyFirst)) {
      return fail(TraceStateError::kInvalidKey);
    }
    const char* const value_begin = ++p;
    while (p < end && has_class(*p, kValueChar)) ++p;
    // Leading spaces belong to the value (`chr` includes SP); trailing ones are OWS.
    const char* value_end = p;
    while (value_end > value_begin && value_end[-1] == ' ') --value_end;
    while (p < end && is_ows(*p)) ++p;
    const auto value_length = static_cast<std::size_t>(value_end - value_begin);
    if ((p < end && *p != ',') || value_length == 0 || value_length > TraceState::kMaxValueLength) {
      return fail(TraceStateError::kInvalidValue);
    }
    if (p < end) ++p;  // the comma
    if (++seen > TraceState::kMaxMembers) return fail(TraceStateError::kTooManyMembers);
    const Member m{std::string_view(key_begin, key_length),
                   std::string_view(value_begin, value_length)};
    // Duplicates: a sender must never produce them and W3C lets the receiver pick one. We keep
    // the first (left-most = most recently updated), so our output never repeats a key.
    bool duplicate = false;
    for (std::size_t i = 0; i < n && !duplicate; ++i) duplicate = members[i].key == m.key;
    if (!duplicate) members[n++] = m;
  }
  if (n == 0) return TraceState();
  return build(members, n, kNoProtected);
}

TraceState TraceState::parse(std::string_view header, TraceStateError* error) noexcept {
  TraceState out;
  if (detail::parse_trace_state_normal_form(header, out)) {
    if (error != nullptr) *error = TraceStateError::kNone;
    return out;
  }
  return detail::parse_trace_state_general(header, error);
}

void TraceState::retain() const noexcept {
  detail::TraceStateBlock* block = nullptr;
  std::memcpy(&block, bytes_ + kHeapBlockOffset, sizeof block);
  block->refs.fetch_add(1, std::memory_order_relaxed);
}

void TraceState::release() noexcept {
  detail::TraceStateBlock* block = nullptr;
  std::memcpy(&block, bytes_ + kHeapBlockOffset, sizeof block);
  if (block->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    block->~TraceStateBlock();
    ::operator delete(block);
  }
  length_ = 0;
  members_ = 0;
}

char* detail::TraceStateWriter::reserve_heap(TraceState& out, std::size_t length,
                                             std::size_t members) noexcept {
  void* memory = ::operator new(sizeof(TraceStateBlock) + length, std::nothrow);
  if (memory == nullptr) return nullptr;
  auto* block = new (memory) TraceStateBlock();
  char* text = block->text();
  const auto stored_length = static_cast<std::uint16_t>(length);
  std::memcpy(out.bytes_ + TraceState::kHeapBlockOffset, &block, sizeof block);
  std::memcpy(out.bytes_ + TraceState::kHeapTextOffset, &text, sizeof text);
  std::memcpy(out.bytes_ + TraceState::kHeapLengthOffset, &stored_length, sizeof stored_length);
  out.length_ = TraceState::kOnHeap;
  out.members_ = static_cast<std::uint8_t>(members);
  return text;
}

std::optional<std::string_view> TraceState::get(std::string_view key) const noexcept {
  std::optional<std::string_view> found;
  scan_members(header(), [&](const Member& m) {
    if (m.key != key) return true;
    found = m.value;
    return false;
  });
  return found;
}

void TraceState::for_each(
    detail::FunctionRef<bool(std::string_view key, std::string_view value)> visit) const noexcept {
  scan_members(header(), [&](const Member& m) { return visit(m.key, m.value); });
}

TraceState TraceState::with(std::string_view key, std::string_view value) const {
  if (!is_valid_key(key) || !is_valid_value(value)) return *this;
  Member members[kScratchMembers];
  members[0] = Member{key, value};
  std::size_t n = 1;
  scan_members(header(), [&](const Member& m) {
    if (m.key != key) members[n++] = m;
    return true;
  });
  // A 33rd member pushes out the right-most one.
  if (n > kMaxMembers) n = kMaxMembers;
  const std::size_t protect = members[0].length() <= kMaxPropagatedLength ? 0 : kNoProtected;
  return build(members, n, protect);
}

TraceState TraceState::without(std::string_view key) const {
  Member members[kMaxMembers];
  std::size_t n = 0;
  bool removed = false;
  scan_members(header(), [&](const Member& m) {
    if (m.key == key) {
      removed = true;
    } else {
      members[n++] = m;
    }
    return true;
  });
  if (!removed) return *this;
  return build(members, n, kNoProtected);
}

}  // namespace hoptrace
