#include "prefetched_headers.h"

namespace hoptrace::kafka::detail {

TraceHeaderKeys::TraceHeaderKeys(const FieldSet& fields) noexcept {
  for (const std::string& key : fields.keys()) {
    if (size_ == kMaxKeys) break;
    keys_[size_++] = key;
  }
}

PrefetchedHeadersReader::PrefetchedHeadersReader(const rd_kafka_headers_t* headers,
                                                 const TraceHeaderKeys& keys,
                                                 KeyMatch match) noexcept
    : reader_(headers, match), keys_(&keys) {
  const std::size_t key_count = keys.size();
  for (std::size_t k = 0; k < key_count; ++k) found_[k] = Found{nullptr, 0, 0};
  if (headers == nullptr) return;
  const char* name = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  for (std::size_t i = 0;
       rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
       ++i) {
    const std::string_view header_name(name);
    for (std::size_t k = 0; k < key_count; ++k) {
      if (header_name != keys[k]) continue;
      Found& found = found_[k];
      found.last_value = value;
      found.last_size = size;
      ++found.count;
      break;
    }
  }
}

const PrefetchedHeadersReader::Found* PrefetchedHeadersReader::find(
    std::string_view key) const noexcept {
  for (std::size_t k = 0; k < keys_->size(); ++k) {
    if ((*keys_)[k] == key) return &found_[k];
  }
  return nullptr;
}

std::optional<std::string_view> PrefetchedHeadersReader::get(std::string_view key) const noexcept {
  const Found* found = find(key);
  if (found == nullptr) return reader_.get(key);
  if (found->count == 0) {
    if (reader_.headers() == nullptr || reader_.match() == KeyMatch::kExact) return std::nullopt;
    return reader_.get(key);  // the case-insensitive fallback
  }
  if (found->last_value == nullptr) return std::nullopt;
  return std::string_view(static_cast<const char*>(found->last_value), found->last_size);
}

void PrefetchedHeadersReader::for_each_value(
    std::string_view key,
    hoptrace::detail::FunctionRef<bool(std::string_view value)> visit) const noexcept {
  const Found* found = find(key);
  if (found == nullptr || found->count > 1 ||
      (found->count == 0 && reader_.match() != KeyMatch::kExact)) {
    reader_.for_each_value(key, visit);
    return;
  }
  if (found->count == 1 && found->last_value != nullptr) {
    visit(std::string_view(static_cast<const char*>(found->last_value), found->last_size));
  }
}

void PrefetchedHeadersReader::for_each_key(
    hoptrace::detail::FunctionRef<bool(std::string_view key)> visit) const noexcept {
  reader_.for_each_key(visit);
}

}  // namespace hoptrace::kafka::detail
