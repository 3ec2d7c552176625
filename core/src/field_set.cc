#include <algorithm>

#include "hoptrace/core/carrier.h"
#include "hoptrace/core/detail/hex.h"

namespace hoptrace {
namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = detail::ascii_lower(c);
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view key) noexcept {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& k) { return detail::equals_ignore_case(k, key); });
}

}  // namespace

FieldSet::FieldSet(std::initializer_list<std::string_view> keys,
                   std::initializer_list<std::string_view> prefixes) {
  for (auto k : keys) add_key(k);
  for (auto p : prefixes) add_prefix(p);
}

void FieldSet::add_key(std::string_view key) {
  if (!contains(keys_, key)) keys_.push_back(lowercase(key));
}

void FieldSet::add_prefix(std::string_view prefix) {
  if (!contains(prefixes_, prefix)) prefixes_.push_back(lowercase(prefix));
}

void FieldSet::merge(const FieldSet& other) {
  for (const auto& k : other.keys_) add_key(k);
  for (const auto& p : other.prefixes_) add_prefix(p);
  for (const auto& e : other.excluded_) exclude(e);
}

void FieldSet::exclude(std::string_view key) {
  keys_.erase(std::remove_if(keys_.begin(), keys_.end(),
                             [&](const std::string& k) { return detail::equals_ignore_case(k, key); }),
              keys_.end());
  if (!contains(excluded_, key)) excluded_.push_back(lowercase(key));
}

bool FieldSet::matches(std::string_view key) const noexcept {
  if (contains(excluded_, key)) return false;
  if (contains(keys_, key)) return true;
  return std::any_of(prefixes_.begin(), prefixes_.end(), [&](const std::string& p) {
    return detail::starts_with_ignore_case(key, p);
  });
}

}  // namespace hoptrace
