#include "hoptrace/core/memory_carrier.h"

#include "hoptrace/core/detail/hex.h"

namespace hoptrace {

void MemoryCarrier::add(std::string_view key, std::string_view value) {
  if (size_ == fields_.size()) fields_.emplace_back();
  auto& slot = fields_[size_++];
  slot.first.assign(key.data(), key.size());
  slot.second.assign(value.data(), value.size());
}

std::optional<std::string_view> MemoryCarrier::get(std::string_view key) const noexcept {
  for (std::size_t i = size_; i-- > 0;) {
    if (detail::equals_ignore_case(fields_[i].first, key)) return std::string_view(fields_[i].second);
  }
  return std::nullopt;
}

void MemoryCarrier::for_each_value(std::string_view key,
                                   detail::FunctionRef<bool(std::string_view)> visit) const
    noexcept {
  for (std::size_t i = 0; i < size_; ++i) {
    if (detail::equals_ignore_case(fields_[i].first, key) && !visit(fields_[i].second)) return;
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
    remove(key);
    add(key, value);
    return true;
  } catch (...) {  // allocation failure: the carrier is left without the field
    return false;
  }
}

void MemoryCarrier::remove(std::string_view key) noexcept {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < size_; ++i) {
    if (!detail::equals_ignore_case(fields_[i].first, key)) {
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
