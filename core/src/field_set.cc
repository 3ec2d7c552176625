#include <algorithm>

#include "hoptrace/core/carrier.h"
#include "hoptrace/core/detail/hex.h"
#include "short_bytes.h"

namespace hoptrace {
namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = detail::ascii_lower(c);
  return out;
}

// Clean inject asks this for every header of every message, so the compares are word-wise
// (a byte loop here was half of a clean inject's cost). Stored names are lowercase, so an exact
// compare settles the usual case before the case-insensitive one runs.
bool same_ignoring_case(const std::string& stored, const char* key, std::size_t n) noexcept {
  return detail::equal_short(stored.data(), key, n) ||
         detail::equal_ignore_case_short(stored.data(), key, n);
}

bool contains(const std::vector<std::string>& list, std::string_view key) noexcept {
  for (const std::string& k : list) {
    if (k.size() == key.size() && same_ignoring_case(k, key.data(), key.size())) return true;
  }
  return false;
}

bool has_prefix_in(const std::vector<std::string>& prefixes, std::string_view key) noexcept {
  for (const std::string& p : prefixes) {
    if (key.size() >= p.size() && same_ignoring_case(p, key.data(), p.size())) return true;
  }
  return false;
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
  keys_.erase(
      std::remove_if(keys_.begin(), keys_.end(),
                     [&](const std::string& k) { return detail::equals_ignore_case(k, key); }),
      keys_.end());
  if (!contains(excluded_, key)) excluded_.push_back(lowercase(key));
}

bool FieldSet::matches(std::string_view key) const noexcept {
  if (contains(excluded_, key)) return false;
  if (contains(keys_, key)) return true;
  return has_prefix_in(prefixes_, key);
}

}  // namespace hoptrace
