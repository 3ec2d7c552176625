#include "raw_clients.h"

#include <gtest/gtest.h>

namespace hoptrace::kafka::testing {

ClientPtr raw_client(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
  char errstr[256];
  ClientPtr client(rd_kafka_new(type, conf, errstr, sizeof(errstr)));
  if (client == nullptr) {
    ADD_FAILURE() << "rd_kafka_new failed: " << errstr;
    rd_kafka_conf_destroy(conf);  // still ours: rd_kafka_new takes it only on success
  }
  return client;
}

void assign(rd_kafka_t* consumer, const std::vector<std::string>& topics, int partitions) {
  rd_kafka_topic_partition_list_t* list =
      rd_kafka_topic_partition_list_new(static_cast<int>(topics.size()) * partitions);
  for (const std::string& topic : topics) {
    for (int p = 0; p < partitions; ++p) {
      rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    }
  }
  ASSERT_EQ(rd_kafka_assign(consumer, list), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(list);
}

void assign(rd_kafka_t* consumer, const std::string& topic, int partitions) {
  assign(consumer, std::vector<std::string>{topic}, partitions);
}

rd_kafka_resp_err_t raw_produce(rd_kafka_t* producer, const char* topic, void* value,
                                std::size_t size, rd_kafka_headers_t* headers, void* opaque) {
  rd_kafka_vu_t args[5];
  std::size_t count = 0;
  args[count].vtype = RD_KAFKA_VTYPE_TOPIC;
  args[count++].u.cstr = topic;
  args[count].vtype = RD_KAFKA_VTYPE_VALUE;
  args[count].u.mem.ptr = value;
  args[count++].u.mem.size = size;
  args[count].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  args[count++].u.i = RD_KAFKA_MSG_F_COPY;
  args[count].vtype = RD_KAFKA_VTYPE_OPAQUE;
  args[count++].u.ptr = opaque;
  if (headers != nullptr) {
    args[count].vtype = RD_KAFKA_VTYPE_HEADERS;
    args[count++].u.headers = headers;
  }
  rd_kafka_error_t* error = rd_kafka_produceva(producer, args, count);
  if (error == nullptr) return RD_KAFKA_RESP_ERR_NO_ERROR;
  const rd_kafka_resp_err_t code = rd_kafka_error_code(error);
  rd_kafka_error_destroy(error);
  return code;
}

}  // namespace hoptrace::kafka::testing
