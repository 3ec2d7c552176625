#include "hoptrace/kafka/headers_carrier.h"

#include "fresh_headers_writer.h"
#include "hoptrace/core/detail/hex.h"

namespace hoptrace::kafka {
namespace {

struct HeaderEntry {
  std::string_view name;
  const void* value;
  std::size_t size;
};

// Visits every header in order; `visit` returns false to stop.
template <typename Visit>
void visit_headers(const rd_kafka_headers_t* headers, Visit&& visit) noexcept {
  if (headers == nullptr) return;
  const char* name = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  for (std::size_t i = 0;
       rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
       ++i) {
    if (!visit(HeaderEntry{std::string_view(name), value, size})) return;
  }
}

std::string_view as_view(const HeaderEntry& entry) noexcept {
  return std::string_view(static_cast<const char*>(entry.value), entry.size);
}

}  // namespace

HeadersReader HeadersReader::of(rd_kafka_message_t* message, KeyMatch match) noexcept {
  rd_kafka_headers_t* headers = nullptr;
  if (message == nullptr ||
      rd_kafka_message_headers(message, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    headers = nullptr;
  }
  return HeadersReader(headers, match);
}

std::optional<std::string_view> HeadersReader::get(std::string_view key) const noexcept {
  if (headers_ == nullptr) return std::nullopt;
  // Exact names (the common case) go through librdkafka's own reverse search, which needs a
  // NUL-terminated name: short keys are copied to the stack.
  constexpr std::size_t kMaxStackKey = 64;
  char name[kMaxStackKey];
  bool c_name = key.size() < kMaxStackKey;
  for (std::size_t i = 0; c_name && i < key.size(); ++i) {
    name[i] = key[i];
    c_name = key[i] != '\0';  // a name with a NUL matches no C name
  }
  if (c_name) {
    name[key.size()] = '\0';
    const void* value = nullptr;
    std::size_t size = 0;
    if (rd_kafka_header_get_last(headers_, name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (value == nullptr) return std::nullopt;  // the last occurrence is NULL: absent
      return std::string_view(static_cast<const char*>(value), size);
    }
    if (match_ == KeyMatch::kExact) return std::nullopt;
  }
  // Long keys, and the case-insensitive fallback: one scan, the last match of each kind wins.
  bool exact_found = false;
  std::optional<std::string_view> exact;
  bool folded_found = false;
  std::optional<std::string_view> folded;
  const bool fold = match_ == KeyMatch::kExactThenCaseInsensitive;
  visit_headers(headers_, [&](const HeaderEntry& entry) {
    std::optional<std::string_view> value;
    if (entry.value != nullptr) value = as_view(entry);
    if (entry.name == key) {
      exact_found = true;
      exact = value;
    } else if (fold && hoptrace::detail::equals_ignore_case(entry.name, key)) {
      folded_found = true;
      folded = value;
    }
    return true;
  });
  if (exact_found) return exact;
  if (folded_found) return folded;
  return std::nullopt;
}

void HeadersReader::for_each_value(
    std::string_view key,
    hoptrace::detail::FunctionRef<bool(std::string_view)> visit) const noexcept {
  bool any_exact = false;
  visit_headers(headers_, [&](const HeaderEntry& entry) {
    if (entry.name != key) return true;
    any_exact = true;
    return entry.value == nullptr || visit(as_view(entry));
  });
  if (any_exact || match_ != KeyMatch::kExactThenCaseInsensitive) return;
  visit_headers(headers_, [&](const HeaderEntry& entry) {
    if (!hoptrace::detail::equals_ignore_case(entry.name, key)) return true;
    return entry.value == nullptr || visit(as_view(entry));
  });
}

void HeadersReader::for_each_key(
    hoptrace::detail::FunctionRef<bool(std::string_view)> visit) const noexcept {
  visit_headers(headers_, [&](const HeaderEntry& entry) { return visit(entry.name); });
}

bool HeadersWriter::set(std::string_view key, std::string_view value) noexcept {
  if (headers_ == nullptr || key.empty() || key.size() > kMaxKeySize) return false;
  if (rd_kafka_header_cnt(headers_) > 0) remove(key);
  return rd_kafka_header_add(headers_, key.data(), static_cast<ssize_t>(key.size()), value.data(),
                             static_cast<ssize_t>(value.size())) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

void HeadersWriter::remove(std::string_view key) noexcept {
  // A fresh list (what the traced producer injects into) has nothing to remove.
  if (headers_ != nullptr && rd_kafka_header_cnt(headers_) > 0)
    detail::remove_headers_named(headers_, key);
}

void HeadersWriter::remove_fields(const FieldSet& fields) noexcept {
  if (headers_ == nullptr || fields.empty() || rd_kafka_header_cnt(headers_) == 0) return;
  const char* header_name = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  // Every header of a removed name goes at once, so nothing before index i matches again: the
  // scan continues at i after a removal. remove_by_name copies the name before librdkafka frees
  // it.
  for (std::size_t i = 0; rd_kafka_header_get_all(headers_, i, &header_name, &value, &size) ==
                          RD_KAFKA_RESP_ERR_NO_ERROR;) {
    const std::string_view name(header_name);
    if (fields.matches(name)) {
      detail::remove_headers_named(headers_, name);
    } else {
      ++i;
    }
  }
}

}  // namespace hoptrace::kafka
