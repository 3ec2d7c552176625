#include "hoptrace/core/memory_carrier.h"

#include <string>

#include "short_bytes.h"

namespace hoptrace {
namespace {

// Propagators pass lowercase names and most carriers hold lowercase names, so an exact compare
// settles almost every lookup before the case-insensitive one runs; both are inline word
// compares, since names are short.
bool same_name(const std::string& a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  return detail::equal_short(a.data(), b.data(), n) ||
         detail::equal_ignore_case_short(a.data(), b.data(), n);
}

bool any_name(const std::string& name, ArrayView<std::string_view> keys) noexcept {
  for (std::string_view k : keys) {
    if (same_name(name, k)) return true;
  }
  return false;
}

// Overwrites `slot` with `value`, reusing its capacity (every traceparent is 55 bytes, so a
// carrier reused across messages stops allocating). May throw std::bad_alloc only when `value`
// is longer than anything the slot held before.
void assign(std::string& slot, std::string_view value) {
  if (value.size() <= slot.capacity()) {
    if (value.size() != slot.size()) slot.resize(value.size());
    detail::copy_short(slot.data(), value.data(), value.size());
  } else {
    slot.assign(value.data(), value.size());
  }
}

}  // namespace

void MemoryCarrier::add(std::string_view key, std::string_view value) {
  if (size_ == fields_.size()) fields_.emplace_back();
  auto& slot = fields_[size_];
  assign(slot.first, key);
  assign(slot.second, value);
  ++size_;
}

bool MemoryCarrier::append(std::string_view key, std::string_view value) noexcept {
  try {
    add(key, value);
    return true;
  } catch (...) {  // allocation failure: nothing added
    return false;
  }
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
  return set_and_remove(key, value, {});
}

bool MemoryCarrier::set_and_remove(std::string_view key, std::string_view value,
                                   ArrayView<std::string_view> remove_keys) noexcept {
  // One pass: the first occurrence of `key` is overwritten in place, later ones and the listed
  // keys are dropped, and the survivors keep their order.
  bool set_done = false;
  bool set_failed = false;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < size_; ++i) {
    const std::string& name = fields_[i].first;
    bool drop;
    if (same_name(name, key)) {
      drop = set_done;
      if (!set_done) {
        set_done = true;
        try {
          assign(fields_[i].second, value);
        } catch (...) {  // allocation failure: the carrier is left without the field
          drop = true;
          set_failed = true;
        }
      }
    } else {
      drop = !remove_keys.empty() && any_name(name, remove_keys);
    }
    if (drop) continue;
    if (kept != i) std::swap(fields_[kept], fields_[i]);
    ++kept;
  }
  size_ = kept;
  if (set_failed) return false;
  return set_done || append(key, value);
}

void MemoryCarrier::remove(std::string_view key) noexcept {
  // Most removals find nothing (a fresh message): look before compacting.
  std::size_t i = 0;
  while (i < size_ && !same_name(fields_[i].first, key)) ++i;
  if (i == size_) return;
  std::size_t kept = i;
  for (++i; i < size_; ++i) {
    if (!same_name(fields_[i].first, key)) {
      std::swap(fields_[kept], fields_[i]);
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
