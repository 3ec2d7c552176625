#include "mock_cluster.h"

#include <gtest/gtest.h>

namespace hoptrace::kafka::testing {

void set(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
  char errstr[256];
  ASSERT_EQ(rd_kafka_conf_set(conf, name, value.c_str(), errstr, sizeof(errstr)), RD_KAFKA_CONF_OK)
      << name << ": " << errstr;
}

MockCluster::MockCluster(int brokers) {
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

MockCluster::~MockCluster() {
  if (cluster_ != nullptr) rd_kafka_mock_cluster_destroy(cluster_);
  if (host_ != nullptr) rd_kafka_destroy(host_);
}

void MockCluster::create_topic(const std::string& topic, int partitions) {
  ASSERT_EQ(rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1),
            RD_KAFKA_RESP_ERR_NO_ERROR);
}

rd_kafka_conf_t* MockCluster::producer_conf() const {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstraps_);
  set(conf, "linger.ms", "1");
  set(conf, "client.id", "test-producer");
  return conf;
}

rd_kafka_conf_t* MockCluster::consumer_conf(const std::string& group) const {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstraps_);
  set(conf, "group.id", group);
  set(conf, "client.id", "test-consumer");
  set(conf, "auto.offset.reset", "earliest");
  set(conf, "enable.auto.commit", "false");
  set(conf, "fetch.wait.max.ms", "10");
  return conf;
}

}  // namespace hoptrace::kafka::testing
