// Producer -> mock Kafka cluster -> consumer, traced end to end.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "hoptrace/core/context.h"
#include "hoptrace/core/error.h"
#include "hoptrace/core/messaging/consumer_trace_policy.h"
#include "hoptrace/core/propagation/stats.h"
#include "hoptrace/core/sdk/always_off_sampler.h"
#include "hoptrace/kafka/consumer.h"
#include "hoptrace/kafka/producer.h"
#include "kafka_test_support.h"

namespace hoptrace::kafka {
namespace {

using testing::DeliveryReports;
using testing::int_attribute;
using testing::MockCluster;
using testing::next_message;
using testing::outgoing_message;
using testing::raw_client;
using testing::Recorder;
using testing::string_attribute;
using testing::traced_consumer;
using testing::traced_producer;

bool has_link_to(const sdk::SpanData& span, const SpanContext& target) {
  for (const auto& link : span.links) {
    if (link.context.trace_id() == target.trace_id() &&
        link.context.span_id() == target.span_id()) {
      return true;
    }
  }
  return false;
}

TEST(KafkaPipeline, ProducerToConsumerIsOneTrace) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("orders");
  Recorder recorder;
  DeliveryReports deliveries;
  TracedProducer producer =
      traced_producer(deliveries.record_into(mock.producer_conf()), recorder.tracer);

  int marker = 0;
  std::string value = "order #1";
  SpanContext root_context;
  {
    Span root = recorder.tracer->start_span("checkout");
    root_context = root.context();
    Scope scope = make_current(root);
    OutgoingMessage message = outgoing_message("orders", value, &marker);
    static const char kKey[] = "customer-7";
    message.key = kKey;
    message.key_size = sizeof(kKey) - 1;
    ASSERT_EQ(producer.produce(message), RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  ASSERT_EQ(producer.flush(10'000), RD_KAFKA_RESP_ERR_NO_ERROR);

  // The user's callback saw its own per-message opaque.
  EXPECT_EQ(deliveries.calls.load(), 1);
  EXPECT_EQ(deliveries.last_opaque.load(), &marker);
  EXPECT_EQ(deliveries.last_error.load(), RD_KAFKA_RESP_ERR_NO_ERROR);

  auto sends = recorder.wait_for("send orders");
  ASSERT_EQ(sends.size(), 1u);
  const sdk::SpanData& send = sends[0];
  EXPECT_EQ(send.kind, SpanKind::kProducer);
  EXPECT_EQ(send.context.trace_id(), root_context.trace_id());
  EXPECT_EQ(send.parent_span_id, root_context.span_id());
  EXPECT_EQ(string_attribute(send, "messaging.system"), "kafka");
  EXPECT_EQ(string_attribute(send, "messaging.operation.type"), "send");
  EXPECT_EQ(string_attribute(send, "messaging.destination.name"), "orders");
  EXPECT_EQ(string_attribute(send, "messaging.destination.partition.id"), "0");
  EXPECT_EQ(int_attribute(send, "messaging.kafka.offset"), 0);
  EXPECT_EQ(string_attribute(send, "messaging.kafka.message.key"), "customer-7");
  EXPECT_EQ(string_attribute(send, "messaging.client.id"), "test-producer");
  EXPECT_NE(string_attribute(send, "server.address"), "<unset>");
  EXPECT_EQ(send.status, StatusCode::kUnset);

  TracedConsumer consumer = traced_consumer(mock, recorder.tracer, "group", {"orders"});
  SpanContext handler_parent;
  SpanContext process_context;
  {
    ConsumedMessage message = next_message(consumer);
    ASSERT_TRUE(message);
    EXPECT_EQ(message.payload(), "order #1");
    EXPECT_TRUE(message.headers().get("traceparent").has_value());
    process_context = message.span_context();
    EXPECT_EQ(Context::current().span_context.span_id(), process_context.span_id());
    Span handler = recorder.tracer->start_span("charge card");
    handler_parent = Context::current().span_context;
  }
  EXPECT_FALSE(Context::current().span_context.is_valid());

  auto processes = recorder.wait_for("process orders");
  ASSERT_EQ(processes.size(), 1u);
  const sdk::SpanData& process = processes[0];
  EXPECT_EQ(process.kind, SpanKind::kConsumer);
  EXPECT_EQ(process.context.trace_id(), root_context.trace_id());
  EXPECT_EQ(process.parent_span_id, send.context.span_id());
  EXPECT_TRUE(process.parent_is_remote);
  EXPECT_TRUE(has_link_to(process, send.context));
  EXPECT_EQ(int_attribute(process, "messaging.kafka.offset"), 0);
  EXPECT_EQ(string_attribute(process, "messaging.consumer.group.name"), "group");
  EXPECT_EQ(string_attribute(process, "messaging.kafka.message.key"), "customer-7");
  EXPECT_EQ(int_attribute(process, "messaging.message.body.size"), 8);
  auto handlers = recorder.wait_for("charge card");
  ASSERT_EQ(handlers.size(), 1u);
  EXPECT_EQ(handlers[0].parent_span_id, process.context.span_id());
  EXPECT_EQ(handler_parent.span_id(), process.context.span_id());
}

// checkout -> a -> (consume, produce) -> b -> (consume, produce) -> c -> consume.
void run_three_hops(const messaging::ConsumerTracePolicy& policy, Recorder& recorder,
                    SpanContext& root_context) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  for (const char* topic : {"hop-a", "hop-b", "hop-c"}) mock.create_topic(topic);
  TracedProducer producer = traced_producer(mock.producer_conf(), recorder.tracer);
  std::string value = "payload";
  {
    Span root = recorder.tracer->start_span("checkout");
    root_context = root.context();
    Scope scope = make_current(root);
    ASSERT_EQ(producer.produce(outgoing_message("hop-a", value)), RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  ASSERT_EQ(producer.flush(10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  const char* next_topic[] = {"hop-b", "hop-c", nullptr};
  const char* topics[] = {"hop-a", "hop-b", "hop-c"};
  for (int hop = 0; hop < 3; ++hop) {
    TracedConsumer consumer = traced_consumer(
        mock, recorder.tracer, std::string("group-") + topics[hop], {topics[hop]}, policy);
    ConsumedMessage message = next_message(consumer);
    ASSERT_TRUE(message);
    if (next_topic[hop] != nullptr) {
      ASSERT_EQ(producer.produce(outgoing_message(next_topic[hop], value)),
                RD_KAFKA_RESP_ERR_NO_ERROR);
    }
    message.end();
    ASSERT_EQ(producer.flush(10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  }
}

TEST(KafkaPipeline, ConsumerThatReproducesKeepsOneTraceOverThreeHops) {
  Recorder recorder;
  SpanContext root;
  run_three_hops(messaging::ConsumerTracePolicy::adaptive(), recorder, root);
  for (const char* name : {"send hop-a", "process hop-a", "send hop-b", "process hop-b",
                           "send hop-c", "process hop-c"}) {
    auto spans = recorder.wait_for(name);
    ASSERT_EQ(spans.size(), 1u) << name;
    EXPECT_EQ(spans[0].context.trace_id(), root.trace_id()) << name;
  }
  // Each send is the child of the process span it was produced from.
  auto process_a = recorder.wait_for("process hop-a")[0];
  auto send_b = recorder.wait_for("send hop-b")[0];
  EXPECT_EQ(send_b.parent_span_id, process_a.context.span_id());
}

TEST(KafkaPipeline, NewTraceWithLinkAfterConfiguredHops) {
  Recorder recorder;
  SpanContext root;
  run_three_hops(messaging::ConsumerTracePolicy::new_trace_after_hops(2), recorder, root);
  auto process_a = recorder.wait_for("process hop-a");
  auto process_b = recorder.wait_for("process hop-b");
  auto process_c = recorder.wait_for("process hop-c");
  auto send_c = recorder.wait_for("send hop-c");
  ASSERT_EQ(process_c.size(), 1u);
  ASSERT_EQ(send_c.size(), 1u);
  EXPECT_EQ(process_a[0].context.trace_id(), root.trace_id());
  EXPECT_EQ(process_b[0].context.trace_id(), root.trace_id());
  // The third consumer starts a new trace that links back to the message's creation context.
  EXPECT_NE(process_c[0].context.trace_id(), root.trace_id());
  EXPECT_FALSE(process_c[0].parent_span_id.is_valid());
  EXPECT_TRUE(has_link_to(process_c[0], send_c[0].context));
}

TEST(KafkaPipeline, BatchConsumeGivesOneReceiveSpanWithALinkPerMessage) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("batch");
  Recorder recorder;
  TracedProducer producer = traced_producer(mock.producer_conf(), recorder.tracer);
  std::string value = "m";
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(producer.produce(outgoing_message("batch", value)), RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  ASSERT_EQ(producer.flush(10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  auto sends = recorder.wait_for("send batch", 5);
  ASSERT_EQ(sends.size(), 5u);

  TracedConsumer consumer = traced_consumer(mock, recorder.tracer, "group", {"batch"});
  std::size_t received = 0;
  std::vector<std::int64_t> offsets;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  MessageBatch batch;
  while (batch.size() < 5 && std::chrono::steady_clock::now() < deadline) {
    batch = consumer.consume_batch(5, 1000);
  }
  ASSERT_EQ(batch.size(), 5u);
  for (ConsumedMessage message : batch) {
    ++received;
    offsets.push_back(message.offset());
    EXPECT_EQ(Context::current().span_context.span_id(), message.span_context().span_id());
  }
  EXPECT_EQ(received, 5u);

  auto receives = recorder.wait_for("poll batch");
  ASSERT_EQ(receives.size(), 1u);
  const sdk::SpanData& receive = receives[0];
  EXPECT_EQ(receive.kind, SpanKind::kClient);
  EXPECT_EQ(int_attribute(receive, "messaging.batch.message_count"), 5);
  ASSERT_EQ(receive.links.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    const auto& link = receive.links[i];
    EXPECT_TRUE(std::any_of(sends.begin(), sends.end(), [&](const sdk::SpanData& s) {
      return s.context.span_id() == link.context.span_id();
    }));
    ASSERT_EQ(link.attribute_count, 2u);
    EXPECT_EQ(receive.link_attribute(link, 0).key, "messaging.destination.partition.id");
    EXPECT_EQ(receive.link_attribute(link, 0).value.as_string(), "0");
    EXPECT_EQ(receive.link_attribute(link, 1).key, "messaging.kafka.offset");
    EXPECT_EQ(receive.link_attribute(link, 1).value.as_int(), static_cast<std::int64_t>(i));
  }
  EXPECT_EQ(recorder.wait_for("process batch", 5).size(), 5u);
  EXPECT_EQ(offsets, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
}

TEST(KafkaPipeline, CommitIsASettleSpanUnderTheProcessSpan) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("settle");
  Recorder recorder;
  TracedProducer producer = traced_producer(mock.producer_conf(), recorder.tracer);
  std::string value = "x";
  ASSERT_EQ(producer.produce(outgoing_message("settle", value)), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(producer.flush(10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  TracedConsumer consumer = traced_consumer(mock, recorder.tracer, "group", {"settle"});
  ConsumedMessage message = next_message(consumer);
  ASSERT_TRUE(message);
  const SpanContext creation = message.creation_context();
  EXPECT_TRUE(creation.is_valid());
  EXPECT_EQ(consumer.commit(message), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_FALSE(message.span_context().is_valid());  // settled: the process span ended

  auto processes = recorder.wait_for("process settle");
  auto commits = recorder.wait_for("commit settle");
  ASSERT_EQ(processes.size(), 1u);
  ASSERT_EQ(commits.size(), 1u);
  EXPECT_EQ(commits[0].kind, SpanKind::kClient);
  EXPECT_EQ(commits[0].parent_span_id, processes[0].context.span_id());
  EXPECT_TRUE(has_link_to(commits[0], creation));
  EXPECT_EQ(string_attribute(commits[0], "messaging.operation.type"), "settle");
}

TEST(KafkaPipeline, UnsampledMessagesRecordNothingButStillPropagate) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("quiet");
  Recorder recorder(std::make_shared<sdk::AlwaysOffSampler>());
  TracedProducer producer = traced_producer(mock.producer_conf(), recorder.tracer);
  std::string value = "x";
  ASSERT_EQ(producer.produce(outgoing_message("quiet", value)), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(producer_stats().pending_delivery_reports, 0u);
  ASSERT_EQ(producer.flush(10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  TracedConsumer consumer = traced_consumer(mock, recorder.tracer, "group", {"quiet"});
  ConsumedMessage message = next_message(consumer);
  ASSERT_TRUE(message);
  const auto traceparent = message.headers().get("traceparent");
  ASSERT_TRUE(traceparent.has_value());
  // The flags byte: sampled bit clear (the W3C random bit may be set).
  const int flags =
      std::stoi(std::string(traceparent->substr(traceparent->size() - 2)), nullptr, 16);
  EXPECT_EQ(flags & 1, 0);
  EXPECT_TRUE(message.span_context().is_valid());
  EXPECT_FALSE(message.span_context().is_sampled());
  message.end();
  EXPECT_EQ(recorder.spans->size(), 0u);
}

TEST(KafkaPipeline, ProducerUsedFromTwoThreadsAtOnce) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("threads");
  Recorder recorder;
  DeliveryReports deliveries;
  TracedProducer producer =
      traced_producer(deliveries.record_into(mock.producer_conf()), recorder.tracer);
  constexpr int kPerThread = 300;
  std::atomic<int> failures{0};
  auto produce_many = [&] {
    std::string value = "payload";
    for (int i = 0; i < kPerThread; ++i) {
      OutgoingMessage message = outgoing_message("threads", value);
      message.flags = RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_BLOCK;
      if (producer.produce(message) != RD_KAFKA_RESP_ERR_NO_ERROR) failures.fetch_add(1);
    }
  };
  std::thread first(produce_many);
  std::thread second(produce_many);
  first.join();
  second.join();
  ASSERT_EQ(producer.flush(20'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(deliveries.calls.load(), 2 * kPerThread);
  auto sends = recorder.wait_for("send threads", 2 * kPerThread);
  ASSERT_EQ(sends.size(), static_cast<std::size_t>(2 * kPerThread));
  std::set<std::int64_t> offsets;
  std::set<std::string> span_ids;
  for (const auto& send : sends) {
    offsets.insert(int_attribute(send, "messaging.kafka.offset"));
    span_ids.insert(send.context.span_id().to_hex());
  }
  EXPECT_EQ(offsets.size(), static_cast<std::size_t>(2 * kPerThread));
  EXPECT_EQ(*offsets.begin(), 0);
  EXPECT_EQ(span_ids.size(), static_cast<std::size_t>(2 * kPerThread));
  EXPECT_EQ(producer_stats().pending_delivery_reports, 0u);
}

TEST(KafkaPipeline, BatchProduceGivesACreateSpanPerMessageAndOneLinkedSend) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("bulk");
  Recorder recorder;
  TracedProducer producer = traced_producer(mock.producer_conf(), recorder.tracer);
  std::string values[3] = {"a", "b", "c"};
  OutgoingMessage messages[3] = {outgoing_message("bulk", values[0]),
                                 outgoing_message("bulk", values[1]),
                                 outgoing_message("bulk", values[2])};
  rd_kafka_resp_err_t errors[3];
  EXPECT_EQ(producer.produce_batch(ArrayView<OutgoingMessage>(messages, 3), errors), 3u);
  ASSERT_EQ(producer.flush(10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  auto creates = recorder.wait_for("create bulk", 3);
  auto sends = recorder.wait_for("send bulk");
  ASSERT_EQ(creates.size(), 3u);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0].kind, SpanKind::kClient);
  EXPECT_EQ(int_attribute(sends[0], "messaging.batch.message_count"), 3);
  ASSERT_EQ(sends[0].links.size(), 3u);
  for (const auto& create : creates) {
    EXPECT_EQ(create.kind, SpanKind::kProducer);
    EXPECT_TRUE(has_link_to(sends[0], create.context));
  }
  TracedConsumer consumer = traced_consumer(mock, recorder.tracer, "group", {"bulk"});
  for (int i = 0; i < 3; ++i) {
    ConsumedMessage message = next_message(consumer);
    ASSERT_TRUE(message);
    EXPECT_TRUE(std::any_of(creates.begin(), creates.end(), [&](const sdk::SpanData& c) {
      return c.context.span_id() == message.creation_context().span_id();
    }));
  }
}

TEST(KafkaPipeline, WrapBorrowsAPreparedProducerAndRefusesAnUnpreparedOne) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("borrowed");
  Recorder recorder;
  ClientPtr plain = raw_client(RD_KAFKA_PRODUCER, mock.producer_conf());
  ASSERT_NE(plain, nullptr);
  EXPECT_THROW(TracedProducer::wrap(plain.get()), ConfigError);
  plain.reset();

  DeliveryReports deliveries;
  rd_kafka_conf_t* conf = deliveries.record_into(mock.producer_conf());
  prepare_producer_conf(conf);
  prepare_producer_conf(conf);  // idempotent
  ClientPtr client = raw_client(RD_KAFKA_PRODUCER, conf);
  ASSERT_NE(client, nullptr);
  {
    ProducerOptions options;
    options.tracer = recorder.tracer;
    TracedProducer producer = TracedProducer::wrap(client.get(), std::move(options));
    std::string value = "v";
    int marker = 0;
    ASSERT_EQ(producer.produce(outgoing_message("borrowed", value, &marker)),
              RD_KAFKA_RESP_ERR_NO_ERROR);
    ASSERT_EQ(producer.flush(10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
    EXPECT_EQ(deliveries.calls.load(), 1);
    EXPECT_EQ(deliveries.last_opaque.load(), &marker);
  }
  // Messages produced without the wrapper still reach the user's callback.
  int raw_marker = 0;
  char raw_value[] = "r";
  ASSERT_EQ(testing::raw_produce(client.get(), "borrowed", raw_value, 1, nullptr, &raw_marker),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(rd_kafka_flush(client.get(), 10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(deliveries.calls.load(), 2);
  EXPECT_EQ(deliveries.last_opaque.load(), &raw_marker);
  client.reset();
  EXPECT_EQ(recorder.wait_for("send borrowed").size(), 1u);
}

}  // namespace
}  // namespace hoptrace::kafka
