#pragma once

// Test support for the Kafka integration tests: librdkafka's in-process mock cluster (it speaks
// the Kafka protocol, headers included) and an SDK that records spans in memory.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "hoptrace/core/sdk/in_memory_span_exporter.h"
#include "hoptrace/core/sdk/simple_span_processor.h"
#include "hoptrace/core/sdk/tracer_provider.h"

namespace hoptrace::kafka::testing {

inline void set(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
  char errstr[256];
  ASSERT_EQ(rd_kafka_conf_set(conf, name, value.c_str(), errstr, sizeof(errstr)), RD_KAFKA_CONF_OK)
      << name << ": " << errstr;
}

/// A mock Kafka cluster hosted by a private client handle; destroyed with this object.
class MockCluster {
 public:
  explicit MockCluster(int brokers = 1) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    set(conf, "log_level", "2");
    char errstr[256];
    host_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
    if (host_ == nullptr) {
      ADD_FAILURE() << "rd_kafka_new for the mock cluster host failed: " << errstr;
      return;
    }
    cluster_ = rd_kafka_mock_cluster_new(host_, brokers);
    if (cluster_ == nullptr) {
      ADD_FAILURE() << "rd_kafka_mock_cluster_new failed";
      return;
    }
    bootstraps_ = rd_kafka_mock_cluster_bootstraps(cluster_);
  }
  ~MockCluster() {
    if (cluster_ != nullptr) rd_kafka_mock_cluster_destroy(cluster_);
    if (host_ != nullptr) rd_kafka_destroy(host_);
  }
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  bool ok() const { return cluster_ != nullptr; }
  rd_kafka_mock_cluster_t* get() const { return cluster_; }
  const std::string& bootstraps() const { return bootstraps_; }

  void create_topic(const std::string& topic, int partitions = 1) {
    ASSERT_EQ(rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }

  rd_kafka_conf_t* producer_conf() const {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstraps_);
    set(conf, "linger.ms", "1");
    set(conf, "client.id", "test-producer");
    return conf;
  }

  rd_kafka_conf_t* consumer_conf(const std::string& group) const {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstraps_);
    set(conf, "group.id", group);
    set(conf, "client.id", "test-consumer");
    set(conf, "auto.offset.reset", "earliest");
    set(conf, "enable.auto.commit", "false");
    set(conf, "fetch.wait.max.ms", "10");
    return conf;
  }

 private:
  rd_kafka_t* host_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string bootstraps_;
};

/// Assigns partitions [0, partitions) of `topic` from the beginning (no group rebalance wait).
inline void assign(rd_kafka_t* consumer, const std::string& topic, int partitions = 1) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p) {
    rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  ASSERT_EQ(rd_kafka_assign(consumer, list), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(list);
}

/// rd_kafka_producev without its macros (they use C casts): topic, value, optional headers
/// (ownership passes on success), optional per-message opaque.
inline rd_kafka_resp_err_t raw_produce(rd_kafka_t* producer, const char* topic, void* value,
                                       std::size_t size, rd_kafka_headers_t* headers = nullptr,
                                       void* opaque = nullptr) {
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

/// An SDK provider recording every span in memory (exported synchronously at end).
struct Recorder {
  std::shared_ptr<sdk::InMemorySpanStore> spans;
  std::shared_ptr<sdk::TracerProvider> provider;
  std::shared_ptr<Tracer> tracer;

  explicit Recorder(std::shared_ptr<sdk::Sampler> sampler = nullptr) {
    sdk::TracerProviderOptions options;
    options.sampler = std::move(sampler);
    provider = std::make_shared<sdk::TracerProvider>(std::move(options));
    auto exporter = std::make_unique<sdk::InMemorySpanExporter>();
    spans = exporter->store();
    provider->add_processor(std::make_unique<sdk::SimpleSpanProcessor>(std::move(exporter)));
    tracer = provider->get_tracer("test");
  }

  /// Every recorded span named `name`, once at least `count` exist (or after 10 s).
  std::vector<sdk::SpanData> wait_for(std::string_view name, std::size_t count = 1) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      auto found = spans->find_all(name);
      if (found.size() >= count || std::chrono::steady_clock::now() > deadline) return found;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
};

/// The value of attribute `key` of `span`, if set.
inline std::optional<AttributeValue> attribute(const sdk::SpanData& span, std::string_view key) {
  for (std::size_t i = 0; i < span.attributes.size(); ++i) {
    const Attribute a = span.attributes.at(i);
    if (a.key == key) return a.value;
  }
  return std::nullopt;
}
inline std::string string_attribute(const sdk::SpanData& span, std::string_view key) {
  auto value = attribute(span, key);
  return value && value->type() == AttributeValue::Type::kString ? std::string(value->as_string())
                                                                 : std::string("<unset>");
}
inline std::int64_t int_attribute(const sdk::SpanData& span, std::string_view key) {
  auto value = attribute(span, key);
  return value && value->type() == AttributeValue::Type::kInt ? value->as_int() : -12345;
}

}  // namespace hoptrace::kafka::testing
