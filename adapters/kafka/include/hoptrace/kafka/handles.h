#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>

/// \file
/// One owning smart pointer per librdkafka object type, for code that calls librdkafka
/// directly next to the traced clients. Each deleter calls the matching librdkafka destroy
/// function and accepts null. Move-only, like the objects they own.

namespace hoptrace::kafka {

/// Destroys a client with rd_kafka_destroy (a consumer should be closed first:
/// rd_kafka_consumer_close).
struct ClientDeleter {
  void operator()(rd_kafka_t* client) const noexcept { rd_kafka_destroy(client); }
};
struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const noexcept { rd_kafka_conf_destroy(conf); }
};
struct HeadersDeleter {
  void operator()(rd_kafka_headers_t* headers) const noexcept { rd_kafka_headers_destroy(headers); }
};
struct MessageDeleter {
  void operator()(rd_kafka_message_t* message) const noexcept { rd_kafka_message_destroy(message); }
};
struct TopicPartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const noexcept {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* queue) const noexcept { rd_kafka_queue_destroy(queue); }
};

/// An owned `rd_kafka_t`.
using ClientPtr = std::unique_ptr<rd_kafka_t, ClientDeleter>;
/// An owned `rd_kafka_conf_t` (release() it into rd_kafka_new, which takes it on success).
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
/// An owned header list (release() it into a produce call only once that call succeeds).
using HeadersPtr = std::unique_ptr<rd_kafka_headers_t, HeadersDeleter>;
/// An owned consumed message.
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;
using TopicPartitionListPtr =
    std::unique_ptr<rd_kafka_topic_partition_list_t, TopicPartitionListDeleter>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;

}  // namespace hoptrace::kafka
