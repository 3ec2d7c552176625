#include "hoptrace/core/baggage.h"

#include <array>
#include <cstdint>
#include <new>

#include "hoptrace/core/detail/hex.h"
#include "propagation/text_util.h"

namespace hoptrace {
namespace {

constexpr std::uint8_t kTokenChar = 1;     // RFC 9110 tchar
constexpr std::uint8_t kBaggageOctet = 2;  // %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] |= kTokenChar;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] |= kTokenChar;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] |= kTokenChar;
  for (char c : {'!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~'}) {
    t[static_cast<unsigned char>(c)] |= kTokenChar;
  }
  for (int c = 0x21; c <= 0x7e; ++c) {
    if (c != '"' && c != ',' && c != ';' && c != '\\')
      t[static_cast<std::size_t>(c)] |= kBaggageOctet;
  }
  return t;
}
constexpr std::array<std::uint8_t, 256> kClasses = make_classes();

constexpr bool has_class(char c, std::uint8_t cls) noexcept {
  return (kClasses[static_cast<unsigned char>(c)] & cls) != 0;
}

bool all_of_class(std::string_view s, std::uint8_t cls) noexcept {
  for (char c : s) {
    if (!has_class(c, cls)) return false;
  }
  return true;
}

bool is_token(std::string_view s) noexcept { return !s.empty() && all_of_class(s, kTokenChar); }

using propagation_detail::is_ows;
using propagation_detail::trim_ows;


// Calls `visit` with each `sep`-separated part, OWS-trimmed, until it returns false.
template <typename Visit>
void split(std::string_view s, char sep, Visit&& visit) {
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t end = s.find(sep, pos);
    if (end == std::string_view::npos) end = s.size();
    if (!visit(trim_ows(s.substr(pos, end - pos)))) return;
    pos = end + 1;
  }
}

// `property *( OWS ";" OWS property )` with property = key OWS "=" OWS value / key OWS.
bool valid_properties(std::string_view properties) noexcept {
  bool ok = true;
  split(properties, ';', [&](std::string_view property) {
    const std::size_t eq = property.find('=');
    if (eq == std::string_view::npos) {
      ok = is_token(property);
    } else {
      ok = is_token(trim_ows(property.substr(0, eq))) &&
           all_of_class(trim_ows(property.substr(eq + 1)), kBaggageOctet);
    }
    return ok;
  });
  return ok;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Appends `bytes` with every ill-formed UTF-8 sequence replaced by U+FFFD, one replacement per
// maximal ill-formed subpart (the Unicode / WHATWG convention).
void append_utf8_sanitized(std::string& out, std::string_view bytes) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  std::size_t i = 0;
  while (i < bytes.size()) {
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
      out.push_back(static_cast<char>(lead));
      ++i;
      continue;
    }
    std::size_t trailing = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      trailing = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      trailing = 2;
      if (lead == 0xE0) lo = 0xA0;  // no overlong forms
      if (lead == 0xED) hi = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      trailing = 3;
      if (lead == 0xF0) lo = 0x90;  // no overlong forms
      if (lead == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      out.append(kReplacement);
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    bool complete = true;
    for (std::size_t k = 0; k < trailing; ++k, ++j) {
      const unsigned char min = k == 0 ? lo : 0x80;
      const unsigned char max = k == 0 ? hi : 0xBF;
      if (j >= bytes.size() || byte(j) < min || byte(j) > max) {
        complete = false;
        break;
      }
    }
    if (complete) {
      out.append(bytes.substr(i, j - i));
    } else {
      out.append(kReplacement);
    }
    i = j;
  }
}

// Percent-decodes a value (a `%` not followed by two hex digits stays literal) and makes the
// result valid UTF-8.
std::string decode_value(std::string_view raw) {
  std::string bytes;
  bytes.reserve(raw.size());
  bool high = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::uint8_t b = static_cast<std::uint8_t>(raw[i]);
    if (raw[i] == '%' && i + 2 < raw.size() &&
        detail::decode_hex(raw.data() + i + 1, &b, 1, /*allow_upper=*/true)) {
      i += 2;
    } else {
      b = static_cast<std::uint8_t>(raw[i]);
    }
    high |= b >= 0x80;
    bytes.push_back(static_cast<char>(b));
  }
  if (!high) return bytes;
  std::string sanitized;
  sanitized.reserve(bytes.size() + 8);
  append_utf8_sanitized(sanitized, bytes);
  return sanitized;
}

bool needs_encoding(char c) noexcept { return c == '%' || !has_class(c, kBaggageOctet); }

std::size_t encoded_length(std::string_view value) noexcept {
  std::size_t n = value.size();
  for (char c : value)
    if (needs_encoding(c)) n += 2;
  return n;
}

void append_encoded(std::string& out, std::string_view value) {
  static constexpr char kUpperHex[] = "0123456789ABCDEF";
  for (char c : value) {
    if (needs_encoding(c)) {
      const auto b = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kUpperHex[b >> 4]);
      out.push_back(kUpperHex[b & 0x0f]);
    } else {
      out.push_back(c);
    }
  }
}

std::size_t member_length(const BaggageEntry& e) noexcept {
  return e.key.size() + 1 + encoded_length(e.value) +
         (e.properties.empty() ? 0 : 1 + e.properties.size());
}

// Everything within the W3C guarantee (64 members, 8192 bytes) is always propagated.
bool within_guarantee(const std::vector<BaggageEntry>& entries) noexcept {
  constexpr std::size_t kGuaranteedMembers = 64;
  if (entries.size() > kGuaranteedMembers) return false;
  std::size_t total = 0;
  for (const auto& e : entries) total += member_length(e);
  if (!entries.empty()) total += entries.size() - 1;
  return total <= Baggage::kMaxTotalBytes;
}

// Marks the members that go on the wire once the guarantee is exceeded: whole members are
// dropped at the caps, left to right, so the first members win. Returns the first reason.
BaggageError select_members(const std::vector<BaggageEntry>& entries, std::vector<bool>& keep) {
  keep.assign(entries.size(), true);
  if (within_guarantee(entries)) return BaggageError::kNone;
  std::size_t total = 0;
  BaggageError first = BaggageError::kNone;
  const auto drop = [&](std::size_t i, BaggageError why) {
    keep[i] = false;
    if (first == BaggageError::kNone) first = why;
  };
  std::size_t kept = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::size_t length = member_length(entries[i]);
    const std::size_t added = length + (kept > 0 ? 1 : 0);
    if (length > Baggage::kMaxMemberBytes) {
      drop(i, BaggageError::kMemberTooLong);
    } else if (kept == Baggage::kMaxMembers) {
      drop(i, BaggageError::kTooManyMembers);
    } else if (total + added > Baggage::kMaxTotalBytes) {
      drop(i, BaggageError::kTooLong);
    } else {
      total += added;
      ++kept;
    }
  }
  return first;
}

}  // namespace

Baggage Baggage::parse(std::string_view header, BaggageError* error) noexcept {
  BaggageError first = BaggageError::kNone;
  const auto note = [&first](BaggageError why) {
    if (first == BaggageError::kNone) first = why;
  };
  const auto finish = [&](Baggage result) {
    if (error != nullptr) *error = first;
    return result;
  };
  if (header.size() > kMaxHeaderLength) {
    // Read no further than the limit, and never a partial member.
    const std::size_t cut = header.rfind(',', kMaxHeaderLength);
    header = header.substr(0, cut == std::string_view::npos ? 0 : cut);
    note(BaggageError::kTooLong);
  }
  try {
    std::vector<BaggageEntry> entries;
    split(header, ',', [&](std::string_view member) {
      // Empty list elements are tolerated, as RFC 9110 §5.6.1 asks of list-valued fields.
      if (member.empty()) return true;
      const std::size_t semi = member.find(';');
      const std::string_view pair = member.substr(0, semi);
      const std::string_view properties =
          semi == std::string_view::npos ? std::string_view() : trim_ows(member.substr(semi + 1));
      // A value may contain `=`: the key ends at the first one.
      const std::size_t eq = pair.find('=');
      const std::string_view key = trim_ows(pair.substr(0, eq));
      const std::string_view value =
          eq == std::string_view::npos ? std::string_view() : trim_ows(pair.substr(eq + 1));
      if (eq == std::string_view::npos || !is_token(key) || !all_of_class(value, kBaggageOctet) ||
          (semi != std::string_view::npos && !valid_properties(properties))) {
        note(BaggageError::kMalformedMember);
        return true;
      }
      // Duplicate keys: the last value wins, at the place of the first, so we never send two.
      BaggageEntry* existing = nullptr;
      for (auto& e : entries) {
        if (e.key == key) existing = &e;
      }
      if (existing == nullptr) {
        entries.push_back(BaggageEntry{std::string(key), {}, {}});
        existing = &entries.back();
      }
      existing->value = decode_value(value);
      existing->properties.assign(properties.data(), properties.size());
      return true;
    });
    std::vector<bool> keep;
    const BaggageError dropped = select_members(entries, keep);
    if (dropped != BaggageError::kNone) {
      note(dropped);
      std::size_t out = 0;
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!keep[i]) continue;
        if (out != i) entries[out] = std::move(entries[i]);
        ++out;
      }
      entries.resize(out);
    }
    if (entries.empty()) return finish(Baggage());
    return finish(Baggage(std::make_shared<const std::vector<BaggageEntry>>(std::move(entries))));
  } catch (const std::bad_alloc&) {
    // Out of memory on the per-message path: degrade to "no baggage" rather than throw.
    note(BaggageError::kTooLong);
    return finish(Baggage());
  }
}

bool Baggage::empty() const noexcept { return entries_ == nullptr || entries_->empty(); }

std::size_t Baggage::size() const noexcept { return entries_ ? entries_->size() : 0; }

std::optional<std::string_view> Baggage::get(std::string_view key) const noexcept {
  if (entries_) {
    for (const auto& e : *entries_) {
      if (e.key == key) return std::string_view(e.value);
    }
  }
  return std::nullopt;
}

void Baggage::for_each(detail::FunctionRef<bool(const BaggageEntry&)> visit) const noexcept {
  if (!entries_) return;
  for (const auto& e : *entries_) {
    if (!visit(e)) return;
  }
}

Baggage Baggage::with(std::string_view key, std::string_view value,
                      std::string_view properties) const {
  properties = trim_ows(properties);
  if (!is_token(key) || (!properties.empty() && !valid_properties(properties))) return *this;
  auto entries = entries_ ? std::make_shared<std::vector<BaggageEntry>>(*entries_)
                          : std::make_shared<std::vector<BaggageEntry>>();
  BaggageEntry* existing = nullptr;
  for (auto& e : *entries) {
    if (e.key == key) existing = &e;
  }
  if (existing == nullptr) {
    entries->push_back(BaggageEntry{std::string(key), {}, {}});
    existing = &entries->back();
  }
  existing->value.assign(value.data(), value.size());
  existing->properties.assign(properties.data(), properties.size());
  return Baggage(std::move(entries));
}

Baggage Baggage::without(std::string_view key) const {
  if (get(key) == std::nullopt) return *this;
  auto entries = std::make_shared<std::vector<BaggageEntry>>();
  entries->reserve(entries_->size() - 1);
  for (const auto& e : *entries_) {
    if (e.key != key) entries->push_back(e);
  }
  if (entries->empty()) return Baggage();
  return Baggage(std::move(entries));
}

void Baggage::serialize(std::string& out) const {
  if (empty()) return;
  // Usually everything fits and nothing is allocated here; the selection only matters for
  // baggage built up past the limits with with().
  std::vector<bool> keep;
  if (!within_guarantee(*entries_)) select_members(*entries_, keep);
  bool first = true;
  for (std::size_t i = 0; i < entries_->size(); ++i) {
    if (!keep.empty() && !keep[i]) continue;
    const BaggageEntry& e = (*entries_)[i];
    if (!first) out.push_back(',');
    first = false;
    out.append(e.key);
    out.push_back('=');
    append_encoded(out, e.value);
    if (!e.properties.empty()) {
      out.push_back(';');
      out.append(e.properties);
    }
  }
}

std::string Baggage::to_header() const {
  std::string out;
  serialize(out);
  return out;
}

}  // namespace hoptrace
