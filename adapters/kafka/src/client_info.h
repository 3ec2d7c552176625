#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string>

namespace hoptrace::kafka::detail {

// What the spans of one client say about it, read once from its configuration.
struct ClientInfo {
  std::string client_id;
  std::string group_id;
  std::string server_address;  // the first bootstrap server
  std::int64_t server_port = 0;

  static ClientInfo of(const rd_kafka_t* client);
};

}  // namespace hoptrace::kafka::detail
