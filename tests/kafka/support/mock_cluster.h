#pragma once

// librdkafka's in-process mock cluster (it speaks the Kafka protocol, headers included) and the
// client configurations that reach it.

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <string>

namespace hoptrace::kafka::testing {

/// Sets `name` to `value` in `conf`, failing the test (with librdkafka's reason) if refused.
void set(rd_kafka_conf_t* conf, const char* name, const std::string& value);

/// A mock Kafka cluster hosted by a private client handle; destroyed with this object.
class MockCluster {
 public:
  explicit MockCluster(int brokers = 1);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  bool ok() const { return cluster_ != nullptr; }
  rd_kafka_mock_cluster_t* get() const { return cluster_; }
  const std::string& bootstraps() const { return bootstraps_; }

  void create_topic(const std::string& topic, int partitions = 1);

  /// A new producer configuration (client.id "test-producer", linger 1 ms); the caller owns it.
  rd_kafka_conf_t* producer_conf() const;
  /// A new consumer configuration in `group` (client.id "test-consumer", from the earliest
  /// offset, no auto-commit, 10 ms fetch wait); the caller owns it.
  rd_kafka_conf_t* consumer_conf(const std::string& group) const;

 private:
  rd_kafka_t* host_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string bootstraps_;
};

}  // namespace hoptrace::kafka::testing
