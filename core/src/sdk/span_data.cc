#include "hoptrace/core/sdk/span_data.h"

#include <algorithm>
#include <limits>

namespace hoptrace::sdk {
namespace {

std::string_view truncate_utf8(std::string_view s, std::size_t max_length) noexcept {
  if (s.size() <= max_length) return s;
  std::size_t cut = max_length;
  // Step back over UTF-8 continuation bytes so a multi-byte character is never split.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

}  // namespace

bool AttributeStore::set(std::string_view key, AttributeValue value, std::size_t max_count,
                         std::size_t max_value_length) noexcept {
  if (key.empty()) {
    ++dropped_;
    return false;
  }
  Entry* existing = nullptr;
  for (Entry& e : entries_) {
    if (e.key_length == key.size() && arena_.view(e.key_offset, e.key_length) == key) {
      existing = &e;
      break;
    }
  }
  if (existing == nullptr && entries_.size() >= max_count) {
    ++dropped_;
    return false;
  }
  std::string_view str;
  if (value.type() == AttributeValue::Type::kString) {
    str = truncate_utf8(value.as_string(), max_value_length);
  }
  try {
    Entry e{};
    if (existing != nullptr) {
      e.key_offset = existing->key_offset;
      e.key_length = existing->key_length;
    } else if (arena_.append(key, &e.key_offset)) {
      e.key_length = static_cast<std::uint32_t>(key.size());
    } else {
      ++dropped_;
      return false;
    }
    e.type = value.type();
    switch (value.type()) {
      case AttributeValue::Type::kBool: e.v.b = value.as_bool(); break;
      case AttributeValue::Type::kInt: e.v.i = value.as_int(); break;
      case AttributeValue::Type::kDouble: e.v.d = value.as_double(); break;
      case AttributeValue::Type::kString:
        // A replaced string value leaves its old bytes in the arena; replacements are rare
        // and the arena is reset with the span.
        if (!arena_.append(str, &e.v.s.offset)) {
          ++dropped_;
          return false;
        }
        e.v.s.length = static_cast<std::uint32_t>(str.size());
        break;
    }
    if (existing != nullptr) {
      *existing = e;
    } else {
      entries_.push_back(e);
    }
    return true;
  } catch (...) {  // out of memory: the attribute is dropped, never the span
    ++dropped_;
    return false;
  }
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
        case AttributeValue::Type::kBool: e.v.b = a.value.as_bool(); break;
        case AttributeValue::Type::kInt: e.v.i = a.value.as_int(); break;
        case AttributeValue::Type::kDouble: e.v.d = a.value.as_double(); break;
        case AttributeValue::Type::kString:
          if (!arena_.append(str, &e.v.s.offset)) {
            ++lost;
            continue;
          }
          e.v.s.length = static_cast<std::uint32_t>(str.size());
          break;
      }
      entries_.push_back(e);
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
    case AttributeValue::Type::kBool: return {key, AttributeValue(e.v.b)};
    case AttributeValue::Type::kInt: return {key, AttributeValue(e.v.i)};
    case AttributeValue::Type::kDouble: return {key, AttributeValue(e.v.d)};
    case AttributeValue::Type::kString: break;
  }
  return {key, AttributeValue(arena_.view(e.v.s.offset, e.v.s.length))};
}

void AttributeStore::clear() noexcept {
  entries_.clear();
  arena_.clear();
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
