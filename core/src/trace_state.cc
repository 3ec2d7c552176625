#include "hoptrace/core/trace_state.h"

#include <array>
#include <cstring>
#include <new>

#include "trace_state_data.h"
#include "propagation/text_util.h"

namespace hoptrace {
namespace {

using detail::TraceStateData;

// Character classes of the Level 2 grammar, looked up once per byte.
constexpr std::uint8_t kKeyFirst = 1;   // lcalpha / DIGIT
constexpr std::uint8_t kKeyChar = 2;    // lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"
constexpr std::uint8_t kValueChar = 4;  // %x20-2B / %x2D-3C / %x3E-7E

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] |= kKeyFirst | kKeyChar;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] |= kKeyFirst | kKeyChar;
  for (char c : {'_', '-', '*', '/', '@'}) t[static_cast<unsigned char>(c)] |= kKeyChar;
  for (int c = 0x20; c <= 0x7e; ++c) {
    if (c != ',' && c != '=') t[static_cast<std::size_t>(c)] |= kValueChar;
  }
  return t;
}
constexpr std::array<std::uint8_t, 256> kClasses = make_classes();

constexpr bool has_class(char c, std::uint8_t cls) noexcept {
  return (kClasses[static_cast<unsigned char>(c)] & cls) != 0;
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

// Builds the stored form of the members that survive the cap; nullptr when none do (or when
// memory runs out: the per-message path degrades to "no tracestate" rather than throwing).
// `source`, when given, is the text the members were parsed from: if it is already in normal
// form (nothing trimmed, skipped or dropped) it is copied in one go.
std::shared_ptr<const TraceStateData> build(const Member* members, std::size_t n,
                                            std::size_t protect,
                                            std::string_view source = {}) noexcept {
  bool keep[kScratchMembers];
  const std::size_t normal_length = fit_to_cap(members, n, keep, protect);
  std::size_t full_length = n > 0 ? n - 1 : 0;
  for (std::size_t i = 0; i < n; ++i) full_length += members[i].length();
  if (n > 0 && normal_length == full_length && full_length == source.size()) {
    try {
      auto data = std::make_shared<TraceStateData>();
      std::memcpy(data->header, source.data(), source.size());
      data->length = static_cast<std::uint16_t>(source.size());
      data->members = static_cast<std::uint8_t>(n);
      return data;
    } catch (const std::bad_alloc&) {
      return nullptr;
    }
  }
  std::shared_ptr<TraceStateData> data;
  std::size_t length = 0;
  std::uint8_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!keep[i]) continue;
    if (!data) {
      try {
        data = std::make_shared<TraceStateData>();
      } catch (const std::bad_alloc&) {
        return nullptr;
      }
    } else {
      data->header[length++] = ',';
    }
    const Member& m = members[i];
    std::memcpy(data->header + length, m.key.data(), m.key.size());
    length += m.key.size();
    data->header[length++] = '=';
    std::memcpy(data->header + length, m.value.data(), m.value.size());
    length += m.value.size();
    ++count;
  }
  if (!data) return nullptr;
  data->length = static_cast<std::uint16_t>(length);
  data->members = count;
  return data;
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

TraceState TraceState::parse(std::string_view header, TraceStateError* error) noexcept {
  const auto fail = [error](TraceStateError e) {
    if (error != nullptr) *error = e;
    return TraceState();
  };
  if (error != nullptr) *error = TraceStateError::kNone;
  if (header.size() > kMaxHeaderLength) return fail(TraceStateError::kTooLong);

  // One pass over the bytes, splitting and validating at once (this runs per message).
  Member members[kMaxMembers];
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
    if (key_length == 0 || key_length > kMaxKeyLength || !has_class(*key_begin, kKeyFirst)) {
      return fail(TraceStateError::kInvalidKey);
    }
    const char* const value_begin = ++p;
    while (p < end && has_class(*p, kValueChar)) ++p;
    // Leading spaces belong to the value (`chr` includes SP); trailing ones are OWS.
    const char* value_end = p;
    while (value_end > value_begin && value_end[-1] == ' ') --value_end;
    while (p < end && is_ows(*p)) ++p;
    const auto value_length = static_cast<std::size_t>(value_end - value_begin);
    if ((p < end && *p != ',') || value_length == 0 || value_length > kMaxValueLength) {
      return fail(TraceStateError::kInvalidValue);
    }
    if (p < end) ++p;  // the comma
    if (++seen > kMaxMembers) return fail(TraceStateError::kTooManyMembers);
    const Member m{std::string_view(key_begin, key_length),
                   std::string_view(value_begin, value_length)};
    // Duplicates: a sender must never produce them and W3C lets the receiver pick one. We keep
    // the first (left-most = most recently updated), so our output never repeats a key.
    bool duplicate = false;
    for (std::size_t i = 0; i < n && !duplicate; ++i) duplicate = members[i].key == m.key;
    if (!duplicate) members[n++] = m;
  }
  if (n == 0) return TraceState();
  return TraceState(build(members, n, kNoProtected, header));
}

std::size_t TraceState::size() const noexcept { return data_ ? data_->members : 0; }

std::string_view TraceState::header() const noexcept {
  return data_ ? std::string_view(data_->header, data_->length) : std::string_view();
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
  return TraceState(build(members, n, protect));
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
  return TraceState(build(members, n, kNoProtected));
}

}  // namespace hoptrace
