#include "hoptrace/kafka/cpp_headers_carrier.h"

#include <string>

namespace hoptrace::kafka {
namespace {

std::string_view value_of(const RdKafka::Headers::Header& header) noexcept {
  return std::string_view(static_cast<const char*>(header.value()), header.value_size());
}

}  // namespace

CppHeadersReader::CppHeadersReader(const RdKafka::Headers& headers) : headers_(headers.get_all()) {}

std::optional<std::string_view> CppHeadersReader::get(std::string_view key) const noexcept {
  for (auto it = headers_.rbegin(); it != headers_.rend(); ++it) {
    if (it->key() != key) continue;
    if (it->value() == nullptr) return std::nullopt;
    return value_of(*it);
  }
  return std::nullopt;
}

void CppHeadersReader::for_each_value(
    std::string_view key,
    hoptrace::detail::FunctionRef<bool(std::string_view)> visit) const noexcept {
  for (const auto& header : headers_) {
    if (header.key() != key || header.value() == nullptr) continue;
    if (!visit(value_of(header))) return;
  }
}

void CppHeadersReader::for_each_key(
    hoptrace::detail::FunctionRef<bool(std::string_view)> visit) const noexcept {
  for (const auto& header : headers_) {
    if (!visit(header.key())) return;
  }
}

bool CppHeadersWriter::set(std::string_view key, std::string_view value) noexcept {
  if (key.empty() || key.size() > HeadersWriter::kMaxKeySize) return false;
  try {
    const std::string name(key);
    headers_.remove(name);
    return headers_.add(name, value.data(), value.size()) == RdKafka::ERR_NO_ERROR;
  } catch (...) {  // allocation failure: the field is not written, the propagator counts it
    return false;
  }
}

void CppHeadersWriter::remove(std::string_view key) noexcept {
  try {
    headers_.remove(std::string(key));
  } catch (...) {  // allocation failure: nothing was removed
  }
}

void CppHeadersWriter::remove_fields(const FieldSet& fields) noexcept {
  try {
    // Names match case-insensitively (`Traceparent` goes too), so the list is scanned.
    std::vector<std::string> doomed;
    for (const auto& header : headers_.get_all()) {
      if (fields.matches(header.key())) doomed.push_back(header.key());
    }
    for (const std::string& key : doomed) headers_.remove(key);
  } catch (...) {  // allocation failure: some fields may remain
  }
}

}  // namespace hoptrace::kafka
