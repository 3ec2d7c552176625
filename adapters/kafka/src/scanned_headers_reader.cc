#include "scanned_headers_reader.h"

#include <cstring>

namespace hoptrace::kafka::detail {

ScannedHeadersReader::ScannedHeadersReader(const rd_kafka_headers_t* headers,
                                           KeyMatch match) noexcept
    : reader_(headers, match), match_(match) {
  if (headers == nullptr) {  // HeadersReader reads a null list as empty
    short_lengths_ = 0;
    long_names_ = false;
    scanned_ = true;
    return;
  }
  const std::size_t listed = rd_kafka_header_cnt(headers);
  if (listed > kMaxScanned) return;
  std::uint64_t lengths = 0;
  bool long_names = false;
  std::size_t count = 0;
  const char* name = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  // Bounded by the count, so a list is read without the failing call that ends a scan.
  while (count < listed && rd_kafka_header_get_all(headers, count, &name, &value, &size) ==
                               RD_KAFKA_RESP_ERR_NO_ERROR) {
    // HeadersReader sees a name up to its first NUL: that is the length that can match.
    const std::size_t length = std::strlen(name);
    if (length < kLengthBits) {
      lengths |= std::uint64_t{1} << length;
    } else {
      long_names = true;
    }
    names_[count] = name;
    name_sizes_[count] = length;
    ++count;
  }
  count_ = count;
  short_lengths_ = lengths;
  long_names_ = long_names;
  scanned_ = true;
}

std::optional<std::string_view> ScannedHeadersReader::get(std::string_view key) const noexcept {
  if (!may_hold(key.size())) return std::nullopt;
  // HeadersReader looks exact names of this size up with librdkafka's get_last (which matches
  // only a name without a NUL inside); a header whose name reads as `key` has that name, NUL
  // terminated: ask with it. Other keys and matches take HeadersReader's path.
  if (!scanned_ || match_ != KeyMatch::kExact || key.size() >= kLengthBits) {
    return reader_.get(key);
  }
  for (std::size_t i = count_; i-- > 0;) {
    if (name_sizes_[i] != key.size() || std::memcmp(names_[i], key.data(), key.size()) != 0) {
      continue;
    }
    const void* value = nullptr;
    std::size_t size = 0;
    if (rd_kafka_header_get_last(reader_.headers(), names_[i], &value, &size) !=
            RD_KAFKA_RESP_ERR_NO_ERROR ||
        value == nullptr) {
      return std::nullopt;  // no exact name (a NUL inside it), or the last value is NULL
    }
    return std::string_view(static_cast<const char*>(value), size);
  }
  return std::nullopt;
}

}  // namespace hoptrace::kafka::detail
