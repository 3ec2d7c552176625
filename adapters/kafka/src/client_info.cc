#include "client_info.h"

#include <string_view>

namespace hoptrace::kafka::detail {
namespace {

std::string conf_value(const rd_kafka_conf_t* conf, const char* name) {
  std::size_t size = 0;
  if (rd_kafka_conf_get(conf, name, nullptr, &size) != RD_KAFKA_CONF_OK || size == 0) return {};
  std::string value(size, '\0');
  if (rd_kafka_conf_get(conf, name, value.data(), &size) != RD_KAFKA_CONF_OK) return {};
  value.resize(size > 0 ? size - 1 : 0);  // size counts the NUL
  return value;
}

}  // namespace

ClientInfo ClientInfo::of(const rd_kafka_t* client) {
  ClientInfo info;
  const rd_kafka_conf_t* conf = rd_kafka_conf(const_cast<rd_kafka_t*>(client));
  if (conf == nullptr) return info;
  info.client_id = conf_value(conf, "client.id");
  info.group_id = conf_value(conf, "group.id");
  std::string servers = conf_value(conf, "bootstrap.servers");
  std::string_view first(servers);
  first = first.substr(0, first.find(','));
  if (const auto scheme = first.find("://"); scheme != std::string_view::npos) {
    first.remove_prefix(scheme + 3);
  }
  while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
  std::string_view port;
  if (!first.empty() && first.front() == '[') {  // [v6]:port
    const auto close = first.find(']');
    if (close != std::string_view::npos) {
      info.server_address.assign(first.substr(1, close - 1));
      if (close + 1 < first.size() && first[close + 1] == ':') port = first.substr(close + 2);
    }
  } else {
    const auto colon = first.rfind(':');
    info.server_address.assign(first.substr(0, colon));
    if (colon != std::string_view::npos) port = first.substr(colon + 1);
  }
  std::int64_t value = 0;
  for (char c : port) {
    if (c < '0' || c > '9' || value > 65535) {
      value = 0;
      break;
    }
    value = value * 10 + (c - '0');
  }
  info.server_port = value <= 65535 ? value : 0;
  return info;
}

}  // namespace hoptrace::kafka::detail
