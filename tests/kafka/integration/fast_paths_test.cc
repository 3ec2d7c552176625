// The adapter's per-message fast paths, end to end on the mock cluster: fresh header lists
// versus user lists on produce, the per-topic span templates, the delivery report's
// attributes, and the free propagation helpers.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "hoptrace/core/messaging/attributes.h"
#include "hoptrace/kafka/consumer.h"
#include "hoptrace/kafka/producer.h"
#include "hoptrace/kafka/propagation.h"
#include "kafka_test_support.h"

namespace hoptrace::kafka {
namespace {

using testing::assign;
using testing::headers_from;
using testing::int_attribute;
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

std::vector<std::string> names_of(const Pairs& pairs) {
  std::vector<std::string> names;
  for (const auto& pair : pairs) names.push_back(pair.first);
  return names;
}

// With a parent carrying a tracestate and baggage in scope, a message without headers gets
// exactly the trace headers (fresh list), and a message with user headers gets its stale trace
// headers replaced and its own kept (general writer): the same trace fields either way.
TEST(KafkaFastPaths, FreshAndUserHeaderListsCarryTheSameTraceFields) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("lists");
  Recorder recorder;
  TracedProducer producer = traced_producer(mock.producer_conf(), recorder.tracer);
  std::string value = "v";
  {
    Context parent;
    parent.span_context =
        SpanContext(TraceId::from_u64(7, 7), SpanId::from_u64(7), TraceFlags(TraceFlags::kSampled),
                    true, TraceState::parse("vendor=x"));
    parent.baggage = Baggage::parse("tenant=t1");
    const Scope scope(parent);
    OutgoingMessage fresh = outgoing_message("lists", value);
    ASSERT_EQ(producer.produce(fresh), RD_KAFKA_RESP_ERR_NO_ERROR);
    OutgoingMessage user = outgoing_message("lists", value);
    user.headers = headers_from({{"app", "1"},
                                 {"traceparent", "00-stale"},
                                 {"tracestate", "stale=1"},
                                 {"baggage", "stale=1"},
                                 {"uberctx-old", "x"},
                                 {"app", "<null>"}});
    ASSERT_EQ(producer.produce(user), RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  ASSERT_EQ(producer.flush(10'000), RD_KAFKA_RESP_ERR_NO_ERROR);

  TracedConsumer consumer = traced_consumer(mock, recorder.tracer, "g-lists", {"lists"});
  Pairs fresh_headers;
  SpanContext first_creation;
  {
    ConsumedMessage first = next_message(consumer);
    ASSERT_TRUE(first);
    fresh_headers = pairs_of(first.headers().headers());
    first_creation = first.creation_context();
  }
  EXPECT_EQ(names_of(fresh_headers),
            (std::vector<std::string>{"traceparent", "tracestate", "baggage"}));
  ConsumedMessage second = next_message(consumer);
  ASSERT_TRUE(second);
  const Pairs user_headers = pairs_of(second.headers().headers());
  EXPECT_EQ(names_of(user_headers),
            (std::vector<std::string>{"app", "app", "traceparent", "tracestate", "baggage"}));
  EXPECT_EQ(user_headers[0].second, "1");
  EXPECT_EQ(user_headers[1].second, "<null>");
  // Same trace fields, apart from the span id of each message's own Send span.
  EXPECT_EQ(fresh_headers[1], user_headers[3]);
  EXPECT_EQ(fresh_headers[2], user_headers[4]);
  EXPECT_EQ(fresh_headers[1].second, "vendor=x");
  EXPECT_EQ(fresh_headers[2].second, "tenant=t1");
  EXPECT_EQ(first_creation.trace_id(), TraceId::from_u64(7, 7));
  EXPECT_EQ(second.creation_context().trace_id(), TraceId::from_u64(7, 7));
}

// The traced consumer, the carrier and the free helper read the same context, for duplicates
// (last wins), NULL values and binary values.
TEST(KafkaFastPaths, ConsumerReadsHeadersAsTheGeneralReaderDoes) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("reads");
  Recorder recorder;
  ClientPtr raw = raw_client(RD_KAFKA_PRODUCER, mock.producer_conf());
  ASSERT_NE(raw, nullptr);
  const std::string a = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const std::string b = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const std::vector<Pairs> cases = {
      {{"traceparent", a}},
      {{"traceparent", a}, {"app", "x"}, {"traceparent", b}},              // last wins
      {{"traceparent", a}, {"traceparent", "<null>"}},                     // NULL last
      {{"traceparent", b}, {"tracestate", "k=1"}, {"tracestate", "j=2"}},  // two lines
      {{"traceparent", std::string("00-\0\xff", 5)}},                      // binary
      {{"baggage", "u=1"}, {"traceparent", a}, {"baggage", "<null>"}},     // NULL baggage
      {{"app", "only"}},
  };
  for (const Pairs& headers : cases) {
    char payload[] = "p";
    ASSERT_EQ(testing::raw_produce(raw.get(), "reads", payload, 1, headers_from(headers)),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  ASSERT_EQ(rd_kafka_flush(raw.get(), 10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  raw.reset();

  TracedConsumer consumer = traced_consumer(mock, recorder.tracer, "g-reads", {"reads"});
  const Propagation& propagation = Propagation::global();
  for (const Pairs& headers : cases) {
    ConsumedMessage message = next_message(consumer);
    ASSERT_TRUE(message);
    ASSERT_EQ(pairs_of(message.headers().headers()), headers);
    const Context general = propagation.extract(message.headers());
    const Context helper = extract(message.headers().headers());
    EXPECT_EQ(message.creation_context().is_valid(), general.span_context.is_valid());
    EXPECT_EQ(message.creation_context().span_id(), general.span_context.span_id());
    EXPECT_EQ(message.creation_context().trace_state().header(),
              general.span_context.trace_state().header());
    EXPECT_EQ(helper.span_context.span_id(), general.span_context.span_id());
    EXPECT_EQ(helper.span_context.trace_state().header(),
              general.span_context.trace_state().header());
    EXPECT_EQ(helper.baggage.to_header(), general.baggage.to_header());
  }
}

// Send spans name the partition once: from the start when the producer chose it, from the
// delivery report when the partitioner did; the offset always comes from the report.
TEST(KafkaFastPaths, SendSpansNameTheDeliveredPartitionAndOffset) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("parts", 3);
  Recorder recorder;
  TracedProducer producer = traced_producer(mock.producer_conf(), recorder.tracer);
  std::string value = "v";
  OutgoingMessage chosen = outgoing_message("parts", value);
  chosen.partition = 2;
  ASSERT_EQ(producer.produce(chosen), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(producer.produce(chosen), RD_KAFKA_RESP_ERR_NO_ERROR);
  OutgoingMessage any = outgoing_message("parts", value);
  static const char kKey[] = "fixed-key";  // a keyed message goes to one partition
  any.key = kKey;
  any.key_size = sizeof(kKey) - 1;
  ASSERT_EQ(producer.produce(any), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(producer.flush(10'000), RD_KAFKA_RESP_ERR_NO_ERROR);

  auto sends = recorder.wait_for("send parts", 3);
  ASSERT_EQ(sends.size(), 3u);
  int on_two = 0;
  std::vector<std::int64_t> offsets_on_two;
  for (const auto& send : sends) {
    std::size_t partition_attributes = 0;
    for (std::size_t i = 0; i < send.attributes.size(); ++i) {
      if (send.attributes.at(i).key == messaging::attr::kMessagingDestinationPartitionId) {
        ++partition_attributes;
      }
    }
    EXPECT_EQ(partition_attributes, 1u);
    const std::string partition = string_attribute(send, "messaging.destination.partition.id");
    EXPECT_TRUE(partition == "0" || partition == "1" || partition == "2") << partition;
    const std::int64_t offset = int_attribute(send, "messaging.kafka.offset");
    EXPECT_GE(offset, 0);
    if (string_attribute(send, "messaging.kafka.message.key") == "<unset>") {
      EXPECT_EQ(partition, "2");
      ++on_two;
      offsets_on_two.push_back(offset);
    }
  }
  EXPECT_EQ(on_two, 2);
  std::sort(offsets_on_two.begin(), offsets_on_two.end());
  EXPECT_EQ(offsets_on_two, (std::vector<std::int64_t>{0, 1}));
}

// One consumer reading two topics: each topic's Process spans come from its own template.
TEST(KafkaFastPaths, ProcessSpansOfTwoTopicsNameTheirOwnTopic) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("alpha");
  mock.create_topic("beta");
  Recorder recorder;
  TracedProducer producer = traced_producer(mock.producer_conf(), recorder.tracer);
  std::string value = "v";
  for (const char* topic : {"alpha", "beta", "alpha"}) {
    OutgoingMessage message = outgoing_message(topic, value);
    ASSERT_EQ(producer.produce(message), RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  ASSERT_EQ(producer.flush(10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(recorder.wait_for("send alpha", 2).size(), 2u);
  EXPECT_EQ(recorder.wait_for("send beta", 1).size(), 1u);

  // No policy given: the adapter's default.
  TracedConsumer consumer =
      traced_consumer(mock, recorder.tracer, "g-two", {"alpha", "beta"}, std::nullopt);
  for (int i = 0; i < 3; ++i) {
    ConsumedMessage message = next_message(consumer);
    ASSERT_TRUE(message);
  }
  const auto alpha = recorder.wait_for("process alpha", 2);
  const auto beta = recorder.wait_for("process beta", 1);
  ASSERT_EQ(alpha.size(), 2u);
  ASSERT_EQ(beta.size(), 1u);
  for (const auto& span : alpha) {
    EXPECT_EQ(string_attribute(span, "messaging.destination.name"), "alpha");
    EXPECT_EQ(span.kind, SpanKind::kConsumer);
    EXPECT_EQ(string_attribute(span, "messaging.consumer.group.name"), "g-two");
  }
  EXPECT_EQ(string_attribute(beta[0], "messaging.destination.name"), "beta");
  EXPECT_GE(int_attribute(beta[0], "messaging.kafka.offset"), 0);
}

// The free helpers with plain librdkafka on both sides: one trace across the hop.
TEST(KafkaFastPaths, FreeHelpersCarryAContextThroughTheBroker) {
  MockCluster mock;
  ASSERT_TRUE(mock.ok());
  mock.create_topic("plain");
  ClientPtr raw = raw_client(RD_KAFKA_PRODUCER, mock.producer_conf());
  ASSERT_NE(raw, nullptr);
  Context sent;
  sent.span_context = SpanContext(TraceId::from_u64(3, 4), SpanId::from_u64(5),
                                  TraceFlags(TraceFlags::kSampled), false);
  sent.baggage = Baggage::parse("k=v");
  HeadersPtr fresh = new_trace_headers(sent);
  ASSERT_NE(fresh, nullptr);
  char payload[] = "p";
  ASSERT_EQ(testing::raw_produce(raw.get(), "plain", payload, 1, fresh.get()),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  fresh.release();  // the message owns it now
  rd_kafka_headers_t* user = headers_from({{"traceparent", "00-stale"}, {"app", "1"}});
  inject(sent, user);
  ASSERT_EQ(testing::raw_produce(raw.get(), "plain", payload, 1, user), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(rd_kafka_flush(raw.get(), 10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  raw.reset();

  ClientPtr consumer = raw_client(RD_KAFKA_CONSUMER, mock.consumer_conf("g-plain"));
  ASSERT_NE(consumer, nullptr);
  rd_kafka_poll_set_consumer(consumer.get());
  assign(consumer.get(), "plain");
  int received = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (received < 2 && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer.get(), 100);
    if (message == nullptr) continue;
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const Context back = extract(message);
      EXPECT_EQ(back.span_context.trace_id(), sent.span_context.trace_id());
      EXPECT_EQ(back.span_context.span_id(), sent.span_context.span_id());
      EXPECT_EQ(back.baggage.to_header(), "k=v");
      ++received;
    }
    rd_kafka_message_destroy(message);
  }
  EXPECT_EQ(received, 2);
  rd_kafka_consumer_close(consumer.get());
}

}  // namespace
}  // namespace hoptrace::kafka
