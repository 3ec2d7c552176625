#include "fresh_headers_writer.h"

#include <cstdlib>
#include <cstring>

#include "hoptrace/kafka/headers_carrier.h"

namespace hoptrace::kafka::detail {

void remove_headers_named(rd_kafka_headers_t* headers, std::string_view name) noexcept {
  if (std::memchr(name.data(), '\0', name.size()) != nullptr) return;  // no C name matches it
  char stack[HeadersWriter::kMaxKeySize + 1];
  char* buffer = stack;
  if (name.size() > HeadersWriter::kMaxKeySize) {
    buffer = static_cast<char*>(std::malloc(name.size() + 1));
    if (buffer == nullptr) return;
  }
  std::memcpy(buffer, name.data(), name.size());
  buffer[name.size()] = '\0';
  rd_kafka_header_remove(headers, buffer);
  if (buffer != stack) std::free(buffer);
}

bool FreshHeadersWriter::holds(std::string_view key) const noexcept {
  const char* name = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  for (std::size_t i = 0; i < added_; ++i) {
    if (i < kRemembered && name_sizes_[i] != key.size()) continue;
    if (rd_kafka_header_get_all(headers_, i, &name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return false;
    }
    if (c_name_equals(name, key)) return true;
  }
  return false;
}

bool FreshHeadersWriter::set(std::string_view key, std::string_view value) noexcept {
  if (headers_ == nullptr || key.empty() || key.size() > HeadersWriter::kMaxKeySize) return false;
  if (added_ > 0 && holds(key)) remove(key);
  if (rd_kafka_header_add(headers_, key.data(), static_cast<ssize_t>(key.size()), value.data(),
                          static_cast<ssize_t>(value.size())) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return false;
  }
  if (added_ < kRemembered) name_sizes_[added_] = key.size();
  ++added_;
  return true;
}

bool FreshHeadersWriter::set_and_remove(std::string_view key, std::string_view value,
                                        ArrayView<std::string_view> remove_keys) noexcept {
  if (added_ > 0) {
    for (const std::string_view k : remove_keys) remove(k);
  }
  return set(key, value);
}

void FreshHeadersWriter::remove(std::string_view key) noexcept {
  if (headers_ == nullptr || added_ == 0 || !holds(key)) return;
  remove_headers_named(headers_, key);
  forget_removed();
}

void FreshHeadersWriter::forget_removed() noexcept {
  // Re-reads what is left (removals are rare: a propagator overwriting its own field).
  added_ = 0;
  const char* name = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  while (rd_kafka_header_get_all(headers_, added_, &name, &value, &size) ==
         RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (added_ < kRemembered) name_sizes_[added_] = std::strlen(name);
    ++added_;
  }
}

void FreshHeadersWriter::remove_fields(const FieldSet& fields) noexcept {
  // Only what this writer added can match; before the first set() there is nothing at all.
  if (headers_ == nullptr || added_ == 0) return;
  HeadersWriter(headers_).remove_fields(fields);
  forget_removed();
}

}  // namespace hoptrace::kafka::detail
