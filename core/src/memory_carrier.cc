#include "hoptrace/core/memory_carrier.h"

#include <string>

#include "hoptrace/core/detail/hex.h"

namespace hoptrace {
namespace {

// Propagators pass lowercase names and most carriers hold lowercase names, so an exact compare
// settles almost every lookup before the case-insensitive one runs.
bool same_name(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  if (a.empty() || std::char_traits<char>::compare(a.data(), b.data(), a.size()) == 0) return true;
  return detail::equals_ignore_case(a, b);
}

}  // namespace

void MemoryCarrier::add(std::string_view key, std::string_view value) {
  if (size_ == fields_.size()) fields_.emplace_back();
  auto& slot = fields_[size_++];
  slot.first.assign(key.data(), key.size());
  slot.second.assign(value.data(), value.size());
}

std::optional<std::string_view> MemoryCarrier::get(std::string_view key) const noexcept {
  for (std::size_t i = size_; i-- > 0;) {
    if (same_name(fields_[i].first, key)) return std::string_view(fields_[i].second);
  }
  return std::nullopt;
}

void MemoryCarrier::for_each_value(std::string_view key,
                                   detail::FunctionRef<bool(std::string_view)> visit) const
    noexcept {
  for (std::size_t i = 0; i < size_; ++i) {
    if (same_name(fields_[i].first, key) && !visit(fields_[i].second)) return;
  }
}

void MemoryCarrier::for_each_key(detail::FunctionRef<bool(std::string_view)> visit) const
    noexcept {
  for (std::size_t i = 0; i < size_; ++i) {
    if (!visit(fields_[i].first)) return;
  }
}

bool MemoryCarrier::set(std::string_view key, std::string_view value) noexcept {
  try {
    // Overwrite the first occurrence in place (its string capacity is reused, so a carrier
    // reused across messages stops allocating), then drop any later duplicates.
    for (std::size_t i = 0; i < size_; ++i) {
      if (same_name(fields_[i].first, key)) {
        std::string& slot = fields_[i].second;
        if (slot.size() == value.size()) {
          // Same length (every traceparent is 55 bytes): overwrite without std::string's
          // general-purpose replace path.
          if (!value.empty()) std::char_traits<char>::copy(slot.data(), value.data(), value.size());
        } else {
          slot.assign(value.data(), value.size());
        }
        std::size_t kept = i + 1;
        for (std::size_t j = i + 1; j < size_; ++j) {
          if (!same_name(fields_[j].first, key)) {
            if (kept != j) std::swap(fields_[kept], fields_[j]);
            ++kept;
          }
        }
        size_ = kept;
        return true;
      }
    }
    add(key, value);
    return true;
  } catch (...) {  // allocation failure: the carrier is left without the field
    remove(key);
    return false;
  }
}

void MemoryCarrier::remove(std::string_view key) noexcept {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < size_; ++i) {
    if (!same_name(fields_[i].first, key)) {
      if (kept != i) std::swap(fields_[kept], fields_[i]);
      ++kept;
    }
  }
  size_ = kept;
}

void MemoryCarrier::remove_fields(const FieldSet& fields) noexcept {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < size_; ++i) {
    if (!fields.matches(fields_[i].first)) {
      if (kept != i) std::swap(fields_[kept], fields_[i]);
      ++kept;
    }
  }
  size_ = kept;
}

}  // namespace hoptrace
