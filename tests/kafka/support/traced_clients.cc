#include "traced_clients.h"

#include <gtest/gtest.h>

#include <chrono>
#include <utility>

#include "raw_clients.h"

namespace hoptrace::kafka::testing {

TracedProducer traced_producer(rd_kafka_conf_t* conf, std::shared_ptr<Tracer> tracer) {
  ProducerOptions options;
  options.tracer = std::move(tracer);
  return TracedProducer::create(conf, std::move(options));
}

TracedConsumer traced_consumer(const MockCluster& mock, std::shared_ptr<Tracer> tracer,
                               const std::string& group, const std::vector<std::string>& topics,
                               std::optional<messaging::ConsumerTracePolicy> policy) {
  ConsumerOptions options;
  options.tracer = std::move(tracer);
  options.policy = policy;
  TracedConsumer consumer = TracedConsumer::create(mock.consumer_conf(group), std::move(options));
  assign(consumer.handle(), topics);
  return consumer;
}

ConsumedMessage next_message(TracedConsumer& consumer) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    ConsumedMessage message = consumer.poll(100);
    if (message && message.error() == RD_KAFKA_RESP_ERR_NO_ERROR) return message;
  }
  ADD_FAILURE() << "no message within 15 s";
  return ConsumedMessage();
}

OutgoingMessage outgoing_message(const char* topic, std::string& value, void* opaque) {
  OutgoingMessage message;
  message.topic = topic;
  message.value = value.data();
  message.value_size = value.size();
  message.opaque = opaque;
  message.flags = RD_KAFKA_MSG_F_COPY;
  return message;
}

}  // namespace hoptrace::kafka::testing
