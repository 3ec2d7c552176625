#include "header_pairs.h"

#include <sys/types.h>

namespace hoptrace::kafka::testing {

Pairs pairs_of(const rd_kafka_headers_t* headers) {
  Pairs out;
  const char* name = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  for (std::size_t i = 0;
       headers != nullptr && rd_kafka_header_get_all(headers, i, &name, &value, &size) == 0; ++i) {
    out.emplace_back(name, value == nullptr ? std::string("<null>")
                                            : std::string(static_cast<const char*>(value), size));
  }
  return out;
}

rd_kafka_headers_t* headers_from(const Pairs& pairs) {
  rd_kafka_headers_t* headers = rd_kafka_headers_new(pairs.size() + 1);
  for (const auto& [name, value] : pairs) {
    if (value == "<null>") {
      rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), nullptr, 0);
    } else {
      rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                          static_cast<ssize_t>(value.size()));
    }
  }
  return headers;
}

}  // namespace hoptrace::kafka::testing
