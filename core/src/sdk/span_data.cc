#include "hoptrace/core/sdk/span_data.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace hoptrace::sdk {
namespace {

std::string_view truncate_utf8_slow(std::string_view s, std::size_t max_length) noexcept {
  std::size_t cut = max_length;
  // Step back over UTF-8 continuation bytes so a multi-byte character is never split.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

[[gnu::always_inline]] inline std::string_view truncate_utf8(std::string_view s,
                                                             std::size_t max_length) noexcept {
  return s.size() <= max_length ? s : truncate_utf8_slow(s, max_length);
}

std::size_t stored_length(AttributeValue value, std::size_t max_value_length) noexcept {
  if (value.type() != AttributeValue::Type::kString) return 0;
  return std::min(value.as_string().size(), max_value_length);
}

// Which of the 64 key bits `key` owns: its length and its first and last 8 bytes (attribute
// keys share prefixes such as `messaging.`, rarely both ends and the length), mixed by one
// multiply whose top bits pick the bit. Paid for every start attribute, so kept to a few
// instructions; a collision only costs a search of the stored keys.
[[gnu::always_inline]] inline std::uint64_t key_bit(std::string_view key) noexcept {
  const std::size_t n = key.size();
  const char* const p = key.data();
  std::uint64_t h;
  if (n >= 8) {
    std::uint64_t head, tail;
    std::memcpy(&head, p, 8);
    std::memcpy(&tail, p + n - 8, 8);
    h = head ^ ((tail << 31) | (tail >> 33));  // rotated: an 8-byte key must not cancel out
  } else if (n >= 4) {
    std::uint32_t head, tail;
    std::memcpy(&head, p, 4);
    std::memcpy(&tail, p + n - 4, 4);
    h = head | (std::uint64_t{tail} << 32);
  } else {
    h = 0;
    for (std::size_t i = 0; i < n; ++i) h = (h << 8) | static_cast<unsigned char>(p[i]);
  }
  h ^= n;
  return std::uint64_t{1} << ((h * 0x9E3779B97F4A7C15ULL) >> 58);
}

}  // namespace

[[gnu::always_inline]] inline AttributeStore::Entry* AttributeStore::find(
    std::string_view key, std::uint64_t bit) noexcept {
  if ((key_bits_ & bit) == 0) return nullptr;
  for (Entry& e : entries_) {
    if (e.key_length == key.size() && arena_.view(e.key_offset, e.key_length) == key) return &e;
  }
  return nullptr;
}

// Inlined: set_batch calls it for every recorded span, and the call cost as much as the two
// capacity checks it makes.
[[gnu::always_inline]] inline bool AttributeStore::make_room(std::size_t entries,
                                                             std::size_t bytes) noexcept {
  return entries_.reserve_more(entries) && arena_.reserve(bytes);
}

[[gnu::always_inline]] inline bool AttributeStore::make_room_for_batch(std::size_t entries,
                                                                       std::size_t bytes) noexcept {
  constexpr std::size_t kBytesPerLaterAttribute = 32;
  return make_room(entries + kRoomAfterStart, bytes + kRoomAfterStart * kBytesPerLaterAttribute);
}

[[gnu::always_inline]] inline void AttributeStore::write_value(
    Entry& e, AttributeValue value, char* bytes, std::uint32_t& used,
    std::size_t max_value_length) noexcept {
  e.type = value.type();
  switch (value.type()) {
    case AttributeValue::Type::kBool:
      e.v.b = value.as_bool();
      break;
    case AttributeValue::Type::kInt:
      e.v.i = value.as_int();
      break;
    case AttributeValue::Type::kDouble:
      e.v.d = value.as_double();
      break;
    case AttributeValue::Type::kString: {
      const std::string_view str = truncate_utf8(value.as_string(), max_value_length);
      hoptrace::detail::ByteArena::copy_bytes(bytes + used, str.data(), str.size());
      e.v.s.offset = used;
      e.v.s.length = static_cast<std::uint32_t>(str.size());
      used += static_cast<std::uint32_t>(str.size());
      break;
    }
  }
}

bool AttributeStore::set_reserved(std::string_view key, AttributeValue value,
                                  std::size_t max_count, std::size_t max_value_length) noexcept {
  if (key.empty()) {
    ++dropped_;
    return false;
  }
  const std::uint64_t bit = key_bit(key);
  Entry* e = find(key, bit);
  if (e == nullptr) {
    if (entries_.size() >= max_count) {
      ++dropped_;
      return false;
    }
    e = &entries_.push_reserved();
    e->key_offset = arena_.append_reserved(key);
    e->key_length = static_cast<std::uint32_t>(key.size());
    key_bits_ |= bit;
  }
  // A replaced string value leaves its old bytes in the arena; replacements are rare and the
  // arena is reset with the span.
  std::uint32_t used = arena_.size();
  write_value(*e, value, arena_.data(), used, max_value_length);
  arena_.resize_within_capacity(used);
  return true;
}

bool AttributeStore::set(std::string_view key, AttributeValue value, std::size_t max_count,
                         std::size_t max_value_length) noexcept {
  if (!make_room(1, key.size() + stored_length(value, max_value_length))) {
    ++dropped_;  // out of memory: the attribute is dropped, never the span
    return false;
  }
  return set_reserved(key, value, max_count, max_value_length);
}

template <bool kKeysDistinct>
void AttributeStore::set_batch(ArrayView<Attribute> attributes, std::size_t max_count,
                               std::size_t max_value_length) noexcept {
  std::size_t bytes = 0;
  for (const Attribute& a : attributes) {
    bytes += a.key.size() + stored_length(a.value, max_value_length);
  }
  if (!make_room_for_batch(attributes.size(), bytes)) {
    // Out of memory for the batch: one at a time keeps whatever still fits.
    for (const Attribute& a : attributes) set(a.key, a.value, max_count, max_value_length);
    return;
  }
  // set_reserved's logic with the sizes, the key filter and the drop count in locals: the
  // byte copies are char stores, which may alias any member, so working on the members would
  // reload and store them around every copy.
  Entry* const entries = entries_.data();
  char* const bytes_out = arena_.data();
  std::size_t count = entries_.size();
  std::uint32_t used = arena_.size();
  std::uint64_t bits = key_bits_;
  std::uint32_t dropped = 0;
  for (const Attribute& a : attributes) {
    const std::string_view key = a.key;
    if (key.empty()) {
      ++dropped;
      continue;
    }
    Entry* e = nullptr;
    std::uint64_t bit = 0;
    if constexpr (!kKeysDistinct) {
      bit = key_bit(key);
      if ((bits & bit) != 0) {
        for (std::size_t i = 0; i < count; ++i) {
          if (entries[i].key_length == key.size() &&
              std::memcmp(bytes_out + entries[i].key_offset, key.data(), key.size()) == 0) {
            e = &entries[i];
            break;
          }
        }
      }
    }
    if (e == nullptr) {
      if (count >= max_count) {
        ++dropped;
        continue;
      }
      e = &entries[count++];
      hoptrace::detail::ByteArena::copy_bytes(bytes_out + used, key.data(), key.size());
      e->key_offset = used;
      e->key_length = static_cast<std::uint32_t>(key.size());
      used += static_cast<std::uint32_t>(key.size());
      bits |= bit;
    }
    write_value(*e, a.value, bytes_out, used, max_value_length);
  }
  entries_.resize_within_capacity(count);
  arena_.resize_within_capacity(used);
  // Distinct keys were not hashed: every bit set makes a later set() search the stored keys.
  key_bits_ = kKeysDistinct ? (count > 0 ? ~std::uint64_t{0} : 0) : bits;
  dropped_ += dropped;
}

void AttributeStore::set_all(ArrayView<Attribute> attributes, std::size_t max_count,
                             std::size_t max_value_length) noexcept {
  set_batch<false>(attributes, max_count, max_value_length);
}

void AttributeStore::set_all_distinct(ArrayView<Attribute> attributes, std::size_t max_count,
                                      std::size_t max_value_length) noexcept {
  if (entries_.size() != 0) {
    set_all(attributes, max_count, max_value_length);
    return;
  }
  set_batch<true>(attributes, max_count, max_value_length);
}

std::uint32_t AttributeStore::append(ArrayView<Attribute> attributes, std::size_t max_count,
                                     std::size_t max_value_length,
                                     std::uint32_t* dropped) noexcept {
  const auto first = static_cast<std::uint32_t>(entries_.size());
  std::uint32_t lost = 0;
  std::size_t appended = 0;
  for (const Attribute& a : attributes) {
    if (appended >= max_count || a.key.empty()) {
      ++lost;
      continue;
    }
    std::string_view str;
    if (a.value.type() == AttributeValue::Type::kString) {
      str = truncate_utf8(a.value.as_string(), max_value_length);
    }
    try {
      Entry e{};
      if (!arena_.append(a.key, &e.key_offset)) {
        ++lost;
        continue;
      }
      e.key_length = static_cast<std::uint32_t>(a.key.size());
      e.type = a.value.type();
      switch (a.value.type()) {
        case AttributeValue::Type::kBool:
          e.v.b = a.value.as_bool();
          break;
        case AttributeValue::Type::kInt:
          e.v.i = a.value.as_int();
          break;
        case AttributeValue::Type::kDouble:
          e.v.d = a.value.as_double();
          break;
        case AttributeValue::Type::kString:
          if (!arena_.append(str, &e.v.s.offset)) {
            ++lost;
            continue;
          }
          e.v.s.length = static_cast<std::uint32_t>(str.size());
          break;
      }
      if (!entries_.reserve_more(1)) {
        ++lost;
        continue;
      }
      entries_.push_reserved() = e;
      key_bits_ |= key_bit(a.key);
      ++appended;
    } catch (...) {
      ++lost;
    }
  }
  if (dropped != nullptr) *dropped += lost;
  return first;
}

Attribute AttributeStore::at(std::size_t i) const noexcept {
  const Entry& e = entries_[i];
  const std::string_view key = arena_.view(e.key_offset, e.key_length);
  switch (e.type) {
    case AttributeValue::Type::kBool:
      return {key, AttributeValue(e.v.b)};
    case AttributeValue::Type::kInt:
      return {key, AttributeValue(e.v.i)};
    case AttributeValue::Type::kDouble:
      return {key, AttributeValue(e.v.d)};
    case AttributeValue::Type::kString:
      break;
  }
  return {key, AttributeValue(arena_.view(e.v.s.offset, e.v.s.length))};
}

void AttributeStore::clear() noexcept {
  entries_.clear();
  arena_.clear();
  key_bits_ = 0;
  dropped_ = 0;
}

void SpanData::reset() noexcept {
  context = SpanContext();
  parent_span_id = SpanId();
  parent_is_remote = false;
  name.clear();
  kind = SpanKind::kInternal;
  start_time = Timestamp{};
  end_time = Timestamp{};
  status = StatusCode::kUnset;
  status_description.clear();
  attributes.clear();
  extra_attributes.clear();
  events.clear();
  links.clear();
  dropped_events = 0;
  dropped_links = 0;
  resource = nullptr;
  scope = nullptr;
}

}  // namespace hoptrace::sdk
