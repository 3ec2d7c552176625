// Failures on the producer side, and what reaches consumers when trace headers are bad.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "hoptrace/core/propagation/stats.h"
#include "hoptrace/kafka/consumer.h"
#include "hoptrace/kafka/producer.h"
#include "kafka_test_support.h"

namespace hoptrace::kafka {
namespace {

using testing::DeliveryReports;
using testing::headers_from;
using testing::MockCluster;
using testing::next_message;
using testing::outgoing_message;
using testing::Pairs;
using testing::pairs_of;
using testing::raw_client;
using testing::Recorder;
using testing::string_attribute;
using testing::traced_consumer;
using testing::traced_producer;

TEST(KafkaDelivery, BrokerErrorEndsTheSpanWithErrorTypeAndTheUserCallbackStillRuns) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("failing");
  Recorder recorder;
  DeliveryReports reports;
  rd_kafka_conf_t* conf = mock.producer_conf();
  testing::set(conf, "message.send.max.retries", "0");
  reports.record_into(conf);
  TracedProducer producer = traced_producer(conf, recorder.tracer);
  // Let the producer learn the topic first, so the next Produce request is the one that fails.
  std::string value = "doomed";
  rd_kafka_mock_push_request_errors(mock.get(), 0 /* Produce */, 1,
                                    RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS);
  int marker = 0;
  OutgoingMessage message = outgoing_message("failing", value, &marker);
  ASSERT_EQ(producer.produce(message), RD_KAFKA_RESP_ERR_NO_ERROR);
  producer.flush(10'000);
  EXPECT_EQ(reports.calls.load(), 1);
  EXPECT_EQ(reports.last_error.load(), RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS);
  EXPECT_EQ(reports.last_opaque.load(), &marker);
  auto sends = recorder.wait_for("send failing");
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0].status, StatusCode::kError);
  EXPECT_EQ(string_attribute(sends[0], "error.type"), "NOT_ENOUGH_REPLICAS");
  EXPECT_EQ(string_attribute(sends[0], "messaging.kafka.offset"), "<unset>");
  EXPECT_EQ(producer_stats().pending_delivery_reports, 0u);
}

TEST(KafkaDelivery, SynchronousRefusalReturnsTheErrorAndLeavesTheHeadersToTheCaller) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("small");
  Recorder recorder;
  DeliveryReports reports;
  rd_kafka_conf_t* conf = mock.producer_conf();
  testing::set(conf, "message.max.bytes", "1000");
  reports.record_into(conf);
  TracedProducer producer = traced_producer(conf, recorder.tracer);
  std::string value(5000, 'x');
  OutgoingMessage message = outgoing_message("small", value);
  message.headers = headers_from({{"app", "1"}});
  EXPECT_EQ(producer.produce(message), RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
  // Still ours (librdkafka's rule on failure): destroying them must be the only free.
  rd_kafka_headers_destroy(message.headers);
  // Without user headers, the ones the producer created for the trace are freed by it.
  message.headers = nullptr;
  EXPECT_EQ(producer.produce(message), RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
  auto sends = recorder.wait_for("send small", 2);
  ASSERT_EQ(sends.size(), 2u);
  for (const auto& send : sends) {
    EXPECT_EQ(send.status, StatusCode::kError);
    EXPECT_EQ(string_attribute(send, "error.type"), "MSG_SIZE_TOO_LARGE");
  }
  producer.flush(1000);
  EXPECT_EQ(reports.calls.load(), 0);
  EXPECT_EQ(producer_stats().pending_delivery_reports, 0u);
}

TEST(KafkaDelivery, DestroyingAnOwnedProducerWithQueuedMessagesEndsTheirSpans) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("abandoned");
  Recorder recorder;
  DeliveryReports reports;
  rd_kafka_conf_t* conf = mock.producer_conf();
  testing::set(conf, "linger.ms", "10000");  // keep them queued
  reports.record_into(conf);
  {
    TracedProducer producer = traced_producer(conf, recorder.tracer);
    std::string value = "never flushed";
    for (int i = 0; i < 10; ++i) {
      OutgoingMessage message = outgoing_message("abandoned", value);
      ASSERT_EQ(producer.produce(message), RD_KAFKA_RESP_ERR_NO_ERROR);
    }
    EXPECT_EQ(producer_stats().pending_delivery_reports, 10u);
  }
  EXPECT_EQ(producer_stats().pending_delivery_reports, 0u);
  EXPECT_EQ(reports.calls.load(), 0);
  auto sends = recorder.wait_for("send abandoned", 10);
  ASSERT_EQ(sends.size(), 10u);
  for (const auto& send : sends) {
    EXPECT_EQ(send.status, StatusCode::kError);
    EXPECT_EQ(string_attribute(send, "error.type").rfind("_PURGE", 0), 0u);
  }
}

TEST(KafkaHeaders, UserHeaderBytesOrderAndNullsArePreservedAroundTheTraceHeader) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("bytes");
  Recorder recorder;
  TracedProducer producer = traced_producer(mock.producer_conf(), recorder.tracer);
  const std::string binary("\x00\x01\xff\xfe", 4);
  const Pairs user = {
      {"bin", binary}, {"dup", "1"}, {"nul", "<null>"}, {"dup", "2"}, {"empty", ""}};
  Pairs with_stale = user;
  with_stale.insert(with_stale.begin() + 1,
                    {"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"});
  std::string value("payload\0with nul", 16);
  OutgoingMessage message = outgoing_message("bytes", value);
  message.headers = headers_from(with_stale);
  ASSERT_EQ(producer.produce(message), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(producer.flush(10'000), RD_KAFKA_RESP_ERR_NO_ERROR);

  TracedConsumer consumer = traced_consumer(mock, recorder.tracer, "g-bytes", {"bytes"});
  ConsumedMessage received = next_message(consumer);
  ASSERT_TRUE(received);
  EXPECT_EQ(received.payload(), value);
  Pairs got = pairs_of(received.headers().headers());
  ASSERT_EQ(got.size(), user.size() + 1);
  EXPECT_EQ(got.back().first, "traceparent");
  EXPECT_NE(got.back().second.find(received.creation_context().trace_id().to_hex()),
            std::string::npos);
  got.pop_back();
  EXPECT_EQ(got, user);
}

TEST(KafkaHeaders, BadTraceHeadersNeverAlterDeliveryAndStartANewTrace) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("hostile");
  Recorder recorder;
  // Raw producer: these headers come from someone else's code.
  ClientPtr raw = raw_client(RD_KAFKA_PRODUCER, mock.producer_conf());
  ASSERT_NE(raw, nullptr);
  const std::string valid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const std::vector<Pairs> cases = {
      {{"traceparent", "garbage"}},
      {{"traceparent", std::string(10'000, 'f')}},
      {{"traceparent", "00-00000000000000000000000000000000-b7ad6b7169203331-01"}},
      {{"traceparent", valid}, {"traceparent", "00-zz-not-valid"}},  // last one wins: bad
      {{"traceparent", std::string("00-\0\xff", 5)}, {"tracestate", std::string(600, ',')}},
      {{"uber-trace-id", "foreign:format:0:1"}, {"b3", "not-configured"}},
      {{"traceparent", "<null>"}},
  };
  for (const Pairs& headers : cases) {
    char payload[] = "intact\x00\xff";
    ASSERT_EQ(
        testing::raw_produce(raw.get(), "hostile", payload, sizeof(payload), headers_from(headers)),
        RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  ASSERT_EQ(rd_kafka_flush(raw.get(), 10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  raw.reset();

  const std::uint64_t rejected_before = propagation_stats().total();
  const std::uint64_t messages_before = consumer_stats().messages_with_rejected_context;
  TracedConsumer consumer = traced_consumer(mock, recorder.tracer, "g-hostile", {"hostile"});
  for (const Pairs& headers : cases) {
    ConsumedMessage message = next_message(consumer);
    ASSERT_TRUE(message);
    const char expected_payload[] = "intact\x00\xff";
    EXPECT_EQ(message.payload(), std::string_view(expected_payload, sizeof(expected_payload)));
    EXPECT_EQ(pairs_of(message.headers().headers()), headers);
    EXPECT_FALSE(message.creation_context().is_valid());
    EXPECT_TRUE(message.span_context().is_valid());
  }
  auto processes = recorder.wait_for("process hostile", cases.size());
  ASSERT_EQ(processes.size(), cases.size());
  for (const auto& process : processes) {
    EXPECT_FALSE(process.parent_span_id.is_valid());  // a new trace
    EXPECT_TRUE(process.links.empty());
  }
  // Five cases carry a malformed traceparent (the foreign and NULL ones carry none we read).
  EXPECT_GE(propagation_stats().total() - rejected_before, 5u);
  EXPECT_EQ(consumer_stats().messages_with_rejected_context - messages_before, 5u);
}

}  // namespace
}  // namespace hoptrace::kafka
