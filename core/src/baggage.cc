#include "hoptrace/core/baggage.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <vector>

#include "hoptrace/core/detail/hex.h"
#include "propagation/text_util.h"
#include "short_bytes.h"

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

// Percent-decodes `raw` onto the end of `out` (a `%` not followed by two hex digits stays
// literal) and makes what it appended valid UTF-8.
void append_decoded(std::string& out, std::string_view raw) {
  const std::size_t start = out.size();
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
    out.push_back(static_cast<char>(b));
  }
  if (!high) return;  // rare: only percent-encoded bytes can be outside ASCII
  const std::string bytes = out.substr(start);
  out.resize(start);
  append_utf8_sanitized(out, bytes);
}

// One member on its way into a block: views of its key, decoded value and properties.
struct Pending {
  std::string_view key;
  std::string_view value;
  std::string_view properties;
};

std::size_t member_length(const Pending& e) noexcept {
  return e.key.size() + 1 + encoded_length(e.value) +
         (e.properties.empty() ? 0 : 1 + e.properties.size());
}

// Everything within the W3C guarantee (64 members, 8192 bytes) is always propagated.
bool within_guarantee(const Pending* entries, std::size_t n) noexcept {
  constexpr std::size_t kGuaranteedMembers = 64;
  if (n > kGuaranteedMembers) return false;
  // Settle the common small case without looking at every character: encoding at most triples
  // a value.
  std::size_t bound = n > 0 ? n - 1 : 0;
  for (std::size_t i = 0; i < n; ++i) {
    bound += entries[i].key.size() + 1 + 3 * entries[i].value.size() +
             (entries[i].properties.empty() ? 0 : 1 + entries[i].properties.size());
  }
  if (bound <= Baggage::kMaxTotalBytes) return true;
  std::size_t total = 0;
  for (std::size_t i = 0; i < n; ++i) total += member_length(entries[i]);
  if (n > 0) total += n - 1;
  return total <= Baggage::kMaxTotalBytes;
}

// Marks in `keep` the members that go on the wire once the guarantee is exceeded: whole members
// are dropped at the caps, left to right, so the first members win. Returns the first reason;
// kNone means every member is kept and `keep` was left alone.
BaggageError select_members(const Pending* entries, std::size_t n, std::vector<char>& keep) {
  if (within_guarantee(entries, n)) return BaggageError::kNone;  // `keep` is then not read
  keep.assign(n, 1);
  std::size_t total = 0;
  BaggageError first = BaggageError::kNone;
  const auto drop = [&](std::size_t i, BaggageError why) {
    keep[i] = 0;
    if (first == BaggageError::kNone) first = why;
  };
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i) {
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

namespace detail {

// The shared storage of a non-empty Baggage: a reference count, the entry table, then the text
// of every key, value and properties string, in one allocation.
struct BaggageBlock {
  struct Entry {
    std::uint32_t key_at;
    std::uint32_t key_length;
    std::uint32_t value_length;       // the value follows the key
    std::uint32_t properties_length;  // the properties follow the value
  };

  std::atomic<std::uint32_t> refs{1};
  std::uint32_t count = 0;

  const Entry* entries() const noexcept { return reinterpret_cast<const Entry*>(this + 1); }
  Entry* entries() noexcept { return reinterpret_cast<Entry*>(this + 1); }
  const char* text() const noexcept { return reinterpret_cast<const char*>(entries() + count); }

  std::string_view key(std::size_t i) const noexcept {
    const Entry& e = entries()[i];
    return {text() + e.key_at, e.key_length};
  }
  std::string_view value(std::size_t i) const noexcept {
    const Entry& e = entries()[i];
    return {text() + e.key_at + e.key_length, e.value_length};
  }
  std::string_view properties(std::size_t i) const noexcept {
    const Entry& e = entries()[i];
    return {text() + e.key_at + e.key_length + e.value_length, e.properties_length};
  }

  // The Baggage holding the entries of `pending` that `keep` marks (all when `keep` is null);
  // empty when there are none or memory runs out.
  static Baggage make(const Pending* pending, std::size_t n, const char* keep) noexcept {
    std::size_t count = 0;
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (keep != nullptr && keep[i] == 0) continue;
      ++count;
      bytes += pending[i].key.size() + pending[i].value.size() + pending[i].properties.size();
    }
    if (count == 0) return Baggage();
    void* memory =
        ::operator new(sizeof(BaggageBlock) + count * sizeof(Entry) + bytes, std::nothrow);
    if (memory == nullptr) return Baggage();
    auto* block = new (memory) BaggageBlock();
    block->count = static_cast<std::uint32_t>(count);
    Entry* entry = block->entries();
    char* const text = reinterpret_cast<char*>(entry + count);
    std::size_t at = 0;
    const auto put = [&](std::string_view s) {
      detail::copy_short(text + at, s.data(), s.size());
      at += s.size();
      return static_cast<std::uint32_t>(s.size());
    };
    for (std::size_t i = 0; i < n; ++i) {
      if (keep != nullptr && keep[i] == 0) continue;
      entry->key_at = static_cast<std::uint32_t>(at);
      entry->key_length = put(pending[i].key);
      entry->value_length = put(pending[i].value);
      entry->properties_length = put(pending[i].properties);
      ++entry;
    }
    return Baggage(block);
  }
};

}  // namespace detail

namespace {

using detail::BaggageBlock;

// The entries of `block` (may be null) as Pending views, appended to `out`.
void append_pending(const BaggageBlock* block, std::vector<Pending>& out) {
  if (block == nullptr) return;
  for (std::size_t i = 0; i < block->count; ++i) {
    out.push_back(Pending{block->key(i), block->value(i), block->properties(i)});
  }
}

}  // namespace

Baggage::Baggage(const Baggage& other) noexcept : block_(other.block_) {
  if (block_ != nullptr) block_->refs.fetch_add(1, std::memory_order_relaxed);
}

Baggage& Baggage::operator=(const Baggage& other) noexcept {
  if (this != &other) {
    Baggage copy(other);
    std::swap(block_, copy.block_);
  }
  return *this;
}

Baggage& Baggage::operator=(Baggage&& other) noexcept {
  if (this != &other) {
    Baggage taken(std::move(other));
    std::swap(block_, taken.block_);
  }
  return *this;
}

Baggage::~Baggage() {
  if (block_ != nullptr && block_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    block_->~BaggageBlock();
    ::operator delete(block_);
  }
}

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
  // Per-thread scratch that keeps its capacity: a steady stream of messages parses without
  // allocating anything but the result's one block.
  struct Member {
    std::string_view key;
    std::string_view value;  // when the value needs no decoding
    std::size_t decoded_at;  // else its place in `decoded`
    std::size_t decoded_length;
    bool is_decoded;
    std::string_view properties;
  };
  thread_local std::vector<Member> members;
  thread_local std::vector<Pending> pending;
  thread_local std::vector<char> keep;
  thread_local std::string decoded;
  try {
    members.clear();
    decoded.clear();
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
      Member* existing = nullptr;
      for (auto& m : members) {
        if (m.key == key) existing = &m;
      }
      if (existing == nullptr) {
        members.push_back(Member{key, {}, 0, 0, false, {}});
        existing = &members.back();
      }
      existing->properties = properties;
      // Only a percent-escape changes a value (the octets allowed raw are all ASCII).
      existing->is_decoded = value.find('%') != std::string_view::npos;
      existing->value = value;
      if (existing->is_decoded) {
        existing->decoded_at = decoded.size();
        append_decoded(decoded, value);
        existing->decoded_length = decoded.size() - existing->decoded_at;
      }
      return true;
    });
    pending.clear();
    for (const Member& m : members) {
      pending.push_back(Pending{
          m.key,
          m.is_decoded ? std::string_view(decoded).substr(m.decoded_at, m.decoded_length) : m.value,
          m.properties});
    }
    const BaggageError dropped = select_members(pending.data(), pending.size(), keep);
    if (dropped != BaggageError::kNone) note(dropped);
    return finish(BaggageBlock::make(pending.data(), pending.size(),
                                     dropped == BaggageError::kNone ? nullptr : keep.data()));
  } catch (const std::bad_alloc&) {
    // Out of memory on the per-message path: degrade to "no baggage" rather than throw.
    note(BaggageError::kTooLong);
    return finish(Baggage());
  }
}

std::size_t Baggage::size() const noexcept { return block_ != nullptr ? block_->count : 0; }

std::optional<std::string_view> Baggage::get(std::string_view key) const noexcept {
  if (block_ == nullptr) return std::nullopt;
  for (std::size_t i = 0; i < block_->count; ++i) {
    if (block_->key(i) == key) return block_->value(i);
  }
  return std::nullopt;
}

void Baggage::for_each(detail::FunctionRef<bool(const BaggageEntry&)> visit) const noexcept {
  for_each_view([&](std::string_view key, std::string_view value, std::string_view properties) {
    BaggageEntry entry;
    try {
      entry = BaggageEntry{std::string(key), std::string(value), std::string(properties)};
    } catch (...) {
      return false;  // out of memory: stop rather than throw through noexcept
    }
    return visit(entry);
  });
}

void Baggage::for_each_view(detail::FunctionRef<bool(std::string_view key, std::string_view value,
                                                     std::string_view properties)>
                                visit) const noexcept {
  if (block_ == nullptr) return;
  for (std::size_t i = 0; i < block_->count; ++i) {
    if (!visit(block_->key(i), block_->value(i), block_->properties(i))) return;
  }
}

Baggage Baggage::with(std::string_view key, std::string_view value,
                      std::string_view properties) const {
  properties = trim_ows(properties);
  if (!is_token(key) || (!properties.empty() && !valid_properties(properties))) return *this;
  std::vector<Pending> entries;
  append_pending(block_, entries);
  Pending* existing = nullptr;
  for (auto& e : entries) {
    if (e.key == key) existing = &e;
  }
  if (existing == nullptr) {
    entries.push_back(Pending{key, {}, {}});
    existing = &entries.back();
  }
  existing->value = value;
  existing->properties = properties;
  Baggage result = BaggageBlock::make(entries.data(), entries.size(), nullptr);
  if (result.empty()) throw std::bad_alloc();  // with() may throw; parse never does
  return result;
}

Baggage Baggage::without(std::string_view key) const {
  if (get(key) == std::nullopt) return *this;
  std::vector<Pending> entries;
  append_pending(block_, entries);
  std::vector<char> keep(entries.size(), 1);
  for (std::size_t i = 0; i < entries.size(); ++i) keep[i] = entries[i].key == key ? 0 : 1;
  return BaggageBlock::make(entries.data(), entries.size(), keep.data());
}

void Baggage::serialize(std::string& out) const {
  if (block_ == nullptr) return;
  // Usually everything fits and nothing is allocated here; the selection only matters for
  // baggage built up past the limits with with().
  std::vector<Pending> entries;
  std::vector<char> keep;
  append_pending(block_, entries);
  if (!within_guarantee(entries.data(), entries.size())) {
    select_members(entries.data(), entries.size(), keep);
  }
  bool first = true;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!keep.empty() && keep[i] == 0) continue;
    const Pending& e = entries[i];
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
