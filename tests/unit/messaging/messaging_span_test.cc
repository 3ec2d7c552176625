#include "hoptrace/core/messaging/messaging_span.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hoptrace/core/messaging/attributes.h"
#include "hoptrace/core/messaging/batch_links.h"
#include "hoptrace/core/messaging/hop_count.h"
#include "hoptrace/core/messaging/kafka.h"
#include "hoptrace/core/messaging/messaging_error.h"
#include "hoptrace/core/messaging/rabbitmq.h"

namespace hoptrace::messaging {
namespace {

// An attribute value rendered to text, so recorded values outlive the views passed in.
std::string render(const AttributeValue& v) {
  switch (v.type()) {
    case AttributeValue::Type::kBool:
      return v.as_bool() ? "true" : "false";
    case AttributeValue::Type::kInt:
      return std::to_string(v.as_int());
    case AttributeValue::Type::kDouble:
      return std::to_string(v.as_double());
    case AttributeValue::Type::kString:
      return "'" + std::string(v.as_string()) + "'";
  }
  return "?";
}

using AttributeMap = std::map<std::string, std::string>;

AttributeMap to_map(ArrayView<Attribute> attributes) {
  AttributeMap out;
  for (const auto& a : attributes) out[std::string(a.key)] = render(a.value);
  return out;
}

struct RecordedLink {
  SpanContext context;
  AttributeMap attributes;
};

// What the tracer saw when a span started: a deep copy of SpanStartOptions.
struct RecordedStart {
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  ParentSource parent_source = ParentSource::kAmbient;
  SpanContext parent;
  AttributeMap attributes;
  std::vector<std::string> attribute_order;
  std::vector<RecordedLink> links;
  std::optional<std::string> trace_state;
};

// A test double of our own Tracer API: records each start and returns a non-recording span.
class RecordingTracer final : public Tracer {
 public:
  Span start_span(std::string_view name, const SpanStartOptions& options) noexcept override {
    RecordedStart r;
    r.name = std::string(name);
    r.kind = options.kind;
    r.parent_source = options.parent_source;
    r.parent = options.parent;
    r.attributes = to_map(options.attributes);
    for (const auto& a : options.attributes) r.attribute_order.emplace_back(a.key);
    for (const auto& l : options.links) r.links.push_back({l.context, to_map(l.attributes)});
    if (options.trace_state != nullptr) r.trace_state = std::string(options.trace_state->header());
    starts.push_back(std::move(r));
    return Span(SpanContext(TraceId::from_u64(0, 0xF), SpanId::from_u64(starts.size()),
                            TraceFlags(TraceFlags::kSampled), false),
                nullptr);
  }
  std::vector<RecordedStart> starts;
};

// A recording SpanRecorder, to check what the error helper sets after start.
class RecordingRecorder final : public SpanRecorder {
 public:
  void set_attribute(std::string_view key, AttributeValue value) noexcept override {
    attributes[std::string(key)] = render(value);
  }
  void add_event(std::string_view, ArrayView<Attribute>, Timestamp) noexcept override {}
  void add_link(const SpanContext&, ArrayView<Attribute>) noexcept override {}
  void set_status(StatusCode c, std::string_view d) noexcept override {
    code = c;
    description = std::string(d);
  }
  void update_name(std::string_view) noexcept override {}
  void end(Timestamp) noexcept override { ended = true; }

  AttributeMap attributes;
  StatusCode code = StatusCode::kUnset;
  std::string description;
  bool ended = false;
};

SpanContext make_context(std::uint64_t trace, std::uint64_t span, TraceState state = {}) {
  return SpanContext(TraceId::from_u64(0, trace), SpanId::from_u64(span),
                     TraceFlags(TraceFlags::kSampled), true, std::move(state));
}

MessagingOperation kafka_process(std::string_view topic) {
  MessagingOperation op;
  op.system = kSystemKafka;
  op.type = OperationType::kProcess;
  op.destination.name = topic;
  return op;
}

// --- Names, kinds and attributes at start ---------------------------------------------------

TEST(MessagingSpanTest, ProducerSendSpanHasNameKindAndSamplerAttributes) {
  MessagingOperation op;
  op.system = kSystemKafka;
  op.type = OperationType::kSend;
  op.operation_name = operation_name::kSend;
  op.destination.name = "shop.orders";
  op.partition_id = "3";
  op.server_address = "broker-1";
  op.server_port = 9092;
  op.client_id = "checkout";
  op.message_id = "m-1";

  RecordingTracer tracer;
  start_messaging_span(tracer, op);
  ASSERT_EQ(tracer.starts.size(), 1u);
  const auto& s = tracer.starts[0];
  EXPECT_EQ(s.name, "send shop.orders");
  EXPECT_EQ(s.kind, SpanKind::kProducer);
  EXPECT_EQ(s.parent_source, ParentSource::kAmbient);
  EXPECT_TRUE(s.links.empty());
  EXPECT_EQ(s.attributes, (AttributeMap{
                              {"messaging.operation.name", "'send'"},
                              {"messaging.operation.type", "'send'"},
                              {"messaging.system", "'kafka'"},
                              {"messaging.destination.name", "'shop.orders'"},
                              {"messaging.destination.partition.id", "'3'"},
                              {"server.address", "'broker-1'"},
                              {"server.port", "9092"},
                              {"messaging.client.id", "'checkout'"},
                              {"messaging.message.id", "'m-1'"},
                          }));
  EXPECT_FALSE(s.trace_state.has_value());
}

TEST(MessagingSpanTest, OperationNameDefaultsToTheType) {
  RecordingTracer tracer;
  start_messaging_span(tracer, kafka_process("t"));
  EXPECT_EQ(tracer.starts[0].name, "process t");
  EXPECT_EQ(tracer.starts[0].attributes["messaging.operation.name"], "'process'");
}

TEST(MessagingSpanTest, SamplerAttributesComeFirst) {
  MessagingOperation op = kafka_process("t");
  for (int i = 0; i < 8; ++i) op.add_attribute("x", i);
  const auto start = MessagingSpanStart::for_operation(op);
  const auto& attrs = start.options().attributes;
  ASSERT_GE(attrs.size(), 4u);
  EXPECT_EQ(attrs[0].key, attr::kMessagingOperationName);
  EXPECT_EQ(attrs[1].key, attr::kMessagingOperationType);
  EXPECT_EQ(attrs[2].key, attr::kMessagingSystem);
  EXPECT_EQ(attrs[3].key, attr::kMessagingDestinationName);
  EXPECT_EQ(start.dropped_attributes(), 0u);
}

TEST(MessagingSpanTest, ClientSendWhenCreateSpansAreInjected) {
  MessagingOperation op;
  op.system = kSystemKafka;
  op.type = OperationType::kSend;
  op.send_context_use = SendContextUse::kLinksToCreateSpans;
  op.batch_message_count = 2;
  const SpanContext c1 = make_context(1, 11), c2 = make_context(1, 12);
  const Link links[] = {{c1, {}}, {c2, {}}};
  RecordingTracer tracer;
  start_messaging_span(tracer, op, links);
  const auto& s = tracer.starts[0];
  EXPECT_EQ(s.kind, SpanKind::kClient);
  ASSERT_EQ(s.links.size(), 2u);
  EXPECT_EQ(s.links[1].context, c2);
  EXPECT_EQ(s.attributes.at("messaging.batch.message_count"), "2");
}

TEST(MessagingSpanTest, TemporaryAndAnonymousFlagsOnlyWhenTrue) {
  MessagingOperation op;
  op.system = kSystemRabbitmq;
  op.type = OperationType::kSend;
  op.destination.name = "amq.gen-x";
  op.destination.anonymous = true;
  op.destination.temporary = true;
  RecordingTracer tracer;
  start_messaging_span(tracer, op);
  EXPECT_EQ(tracer.starts[0].name, "send");
  EXPECT_EQ(tracer.starts[0].attributes["messaging.destination.anonymous"], "true");
  EXPECT_EQ(tracer.starts[0].attributes["messaging.destination.temporary"], "true");

  start_messaging_span(tracer, kafka_process("t"));
  EXPECT_EQ(tracer.starts[1].attributes.count("messaging.destination.anonymous"), 0u);
  EXPECT_EQ(tracer.starts[1].attributes.count("messaging.destination.temporary"), 0u);
}

TEST(MessagingSpanTest, BatchCountOnlyOnBatchApisAndZeroAllowed) {
  RecordingTracer tracer;
  MessagingOperation single = kafka_process("t");
  single.message_id = "id-1";
  start_messaging_span(tracer, single);
  EXPECT_EQ(tracer.starts[0].attributes.count("messaging.batch.message_count"), 0u);
  EXPECT_EQ(tracer.starts[0].attributes["messaging.message.id"], "'id-1'");

  MessagingOperation empty_poll;
  empty_poll.system = kSystemKafka;
  empty_poll.type = OperationType::kReceive;
  empty_poll.operation_name = operation_name::kPoll;
  empty_poll.batch_message_count = 0;
  empty_poll.message_id = "ignored on batches";
  start_consumer_batch_span(tracer, empty_poll, {}, ConsumerTracePolicy::adaptive(), SpanContext());
  EXPECT_EQ(tracer.starts[1].attributes["messaging.batch.message_count"], "0");
  EXPECT_EQ(tracer.starts[1].attributes.count("messaging.message.id"), 0u);
}

TEST(MessagingSpanTest, CreateSpansNeverCarryBatchCountOrClientId) {
  MessagingOperation op;
  op.system = kSystemKafka;
  op.type = OperationType::kCreate;
  op.batch_message_count = 5;
  op.client_id = "c";
  RecordingTracer tracer;
  start_messaging_span(tracer, op);
  EXPECT_EQ(tracer.starts[0].kind, SpanKind::kProducer);
  EXPECT_EQ(tracer.starts[0].attributes.count("messaging.batch.message_count"), 0u);
  EXPECT_EQ(tracer.starts[0].attributes.count("messaging.client.id"), 0u);
}

TEST(MessagingSpanTest, PeerAttributesFollowTheTable) {
  RecordingTracer tracer;
  for (auto type : {OperationType::kSend, OperationType::kReceive, OperationType::kSettle,
                    OperationType::kProcess, OperationType::kCreate}) {
    MessagingOperation op;
    op.system = kSystemRabbitmq;
    op.type = type;
    op.network_peer_address = "10.0.0.5";
    op.network_peer_port = 5672;
    start_messaging_span(tracer, op);
  }
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(tracer.starts[i].attributes["network.peer.address"], "'10.0.0.5'");
    EXPECT_EQ(tracer.starts[i].attributes["network.peer.port"], "5672");
  }
  for (std::size_t i = 3; i < 5; ++i) {
    EXPECT_EQ(tracer.starts[i].attributes.count("network.peer.address"), 0u);
  }
}

TEST(MessagingSpanTest, PortsOnlyWithAddresses) {
  MessagingOperation op = kafka_process("t");
  op.server_port = 9092;
  op.network_peer_port = 9092;
  op.type = OperationType::kReceive;
  RecordingTracer tracer;
  start_messaging_span(tracer, op);
  EXPECT_EQ(tracer.starts[0].attributes.count("server.port"), 0u);
  EXPECT_EQ(tracer.starts[0].attributes.count("network.peer.port"), 0u);
}

TEST(MessagingSpanTest, SizesAreNotSetOnSettleSpans) {
  RecordingTracer tracer;
  MessagingOperation op = kafka_process("t");
  op.body_size = 120;
  op.envelope_size = 180;
  start_messaging_span(tracer, op);
  EXPECT_EQ(tracer.starts[0].attributes["messaging.message.body.size"], "120");
  EXPECT_EQ(tracer.starts[0].attributes["messaging.message.envelope.size"], "180");
  op.type = OperationType::kSettle;
  start_messaging_span(tracer, op);
  EXPECT_EQ(tracer.starts[1].attributes.count("messaging.message.body.size"), 0u);
  EXPECT_EQ(tracer.starts[1].attributes.count("messaging.message.envelope.size"), 0u);
}

TEST(MessagingSpanTest, ConsumerGroupSubscriptionAndConversation) {
  MessagingOperation op = kafka_process("t");
  op.consumer_group = "billing";
  op.subscription_name = "sub";
  op.conversation_id = "conv";
  RecordingTracer tracer;
  start_messaging_span(tracer, op);
  EXPECT_EQ(tracer.starts[0].attributes["messaging.consumer.group.name"], "'billing'");
  EXPECT_EQ(tracer.starts[0].attributes["messaging.destination.subscription.name"], "'sub'");
  EXPECT_EQ(tracer.starts[0].attributes["messaging.message.conversation_id"], "'conv'");
}

TEST(MessagingSpanTest, ExtrasBeyondCapacityAreRefused) {
  MessagingOperation op;
  for (std::size_t i = 0; i < kMaxExtraAttributes; ++i) EXPECT_TRUE(op.add_attribute("k", 1));
  EXPECT_FALSE(op.add_attribute("k", 1));
  EXPECT_EQ(op.extra_attributes.size(), kMaxExtraAttributes);
}

// --- Consumer parenting through the policy --------------------------------------------------

TEST(MessagingSpanTest, AdaptiveProcessWithoutAmbientIsChildOfCreationWithLink) {
  const SpanContext creation = make_context(0xC, 0xC1);
  RecordingTracer tracer;
  start_consumer_span(tracer, kafka_process("t"), creation, ConsumerTracePolicy::adaptive(),
                      SpanContext());
  const auto& s = tracer.starts[0];
  EXPECT_EQ(s.kind, SpanKind::kConsumer);
  EXPECT_EQ(s.parent_source, ParentSource::kExplicit);
  EXPECT_EQ(s.parent, creation);
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(s.links[0].context, creation);
  EXPECT_FALSE(s.trace_state.has_value());
}

TEST(MessagingSpanTest, AdaptiveProcessUnderAmbientIsChildOfAmbientWithLink) {
  const SpanContext creation = make_context(0xC, 0xC1);
  const SpanContext ambient = make_context(0xA, 0xA1);
  RecordingTracer tracer;
  start_consumer_span(tracer, kafka_process("t"), creation, ConsumerTracePolicy::adaptive(),
                      ambient);
  const auto& s = tracer.starts[0];
  EXPECT_EQ(s.parent, ambient);
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(s.links[0].context, creation);
}

TEST(MessagingSpanTest, ParentModeLinksBothCreationAndAmbient) {
  const SpanContext creation = make_context(0xC, 0xC1);
  const SpanContext ambient = make_context(0xA, 0xA1);
  RecordingTracer tracer;
  start_consumer_span(tracer, kafka_process("t"), creation, ConsumerTracePolicy::parent(), ambient);
  const auto& s = tracer.starts[0];
  EXPECT_EQ(s.parent, creation);
  ASSERT_EQ(s.links.size(), 2u);
  EXPECT_EQ(s.links[0].context, creation);
  EXPECT_EQ(s.links[1].context, ambient);
}

TEST(MessagingSpanTest, LinkModeStartsARootWithoutAmbient) {
  const SpanContext creation = make_context(0xC, 0xC1);
  RecordingTracer tracer;
  start_consumer_span(tracer, kafka_process("t"), creation, ConsumerTracePolicy::link(),
                      SpanContext());
  EXPECT_EQ(tracer.starts[0].parent_source, ParentSource::kRoot);
  ASSERT_EQ(tracer.starts[0].links.size(), 1u);
}

TEST(MessagingSpanTest, ReceiveSpansAlwaysTakeTheLinkForm) {
  const SpanContext creation = make_context(0xC, 0xC1);
  MessagingOperation op = kafka_process("t");
  op.type = OperationType::kReceive;
  op.operation_name = operation_name::kPoll;
  RecordingTracer tracer;
  start_consumer_span(tracer, op, creation, ConsumerTracePolicy::parent(), SpanContext());
  EXPECT_EQ(tracer.starts[0].kind, SpanKind::kClient);
  EXPECT_EQ(tracer.starts[0].parent_source, ParentSource::kRoot);
  EXPECT_EQ(tracer.starts[0].name, "poll t");
  ASSERT_EQ(tracer.starts[0].links.size(), 1u);
  EXPECT_EQ(tracer.starts[0].links[0].context, creation);
}

TEST(MessagingSpanTest, AMessageWithoutContextGetsNoLink) {
  RecordingTracer tracer;
  start_consumer_span(tracer, kafka_process("t"), SpanContext(), ConsumerTracePolicy::adaptive(),
                      SpanContext());
  EXPECT_EQ(tracer.starts[0].parent_source, ParentSource::kRoot);
  EXPECT_TRUE(tracer.starts[0].links.empty());
}

TEST(MessagingSpanTest, NewTraceAfterHopsCarriesTheIncrementedCount) {
  const SpanContext creation = make_context(0xC, 0xC1, TraceState::parse("v=1,hoptrace=h:1"));
  RecordingTracer tracer;
  start_consumer_span(tracer, kafka_process("t"), creation,
                      ConsumerTracePolicy::new_trace_after_hops(3), SpanContext());
  const auto& s = tracer.starts[0];
  EXPECT_EQ(s.parent, creation);
  ASSERT_TRUE(s.trace_state.has_value());
  EXPECT_EQ(*s.trace_state, "hoptrace=h:2,v=1");
}

TEST(MessagingSpanTest, NewTraceAfterHopsStartsARootAtTheLimit) {
  const SpanContext creation = make_context(0xC, 0xC1, TraceState::parse("hoptrace=h:3"));
  RecordingTracer tracer;
  start_consumer_span(tracer, kafka_process("t"), creation,
                      ConsumerTracePolicy::new_trace_after_hops(3), SpanContext());
  const auto& s = tracer.starts[0];
  EXPECT_EQ(s.parent_source, ParentSource::kRoot);
  EXPECT_FALSE(s.trace_state.has_value());  // a root carries no trace state: the count resets
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(s.links[0].context, creation);
}

TEST(MessagingSpanTest, OtherPoliciesLeaveTheTraceStateAlone) {
  const SpanContext creation = make_context(0xC, 0xC1, TraceState::parse("hoptrace=h:3"));
  RecordingTracer tracer;
  start_consumer_span(tracer, kafka_process("t"), creation, ConsumerTracePolicy::adaptive(),
                      SpanContext());
  EXPECT_FALSE(tracer.starts[0].trace_state.has_value());
}

// --- Batches ----------------------------------------------------------------------------------

TEST(MessagingSpanTest, BatchProcessLinksEveryMessageWithPerMessageAttributes) {
  const SpanContext c1 = make_context(1, 11), c2 = make_context(2, 21);
  BatchLinks<4> links;
  EXPECT_TRUE(links.add_with_partition(c1, 0, {{attr::kMessagingKafkaOffset, 41}}));
  EXPECT_FALSE(links.add(SpanContext()));  // a message without context
  EXPECT_TRUE(links.add_with_partition(c2, 7, {{attr::kMessagingKafkaOffset, 99}}));

  MessagingOperation op = kafka_process("t");
  op.batch_message_count = 3;
  RecordingTracer tracer;
  const SpanContext ambient = make_context(0xA, 0xA1);
  start_consumer_batch_span(tracer, op, links.links(), ConsumerTracePolicy::parent(), ambient);
  const auto& s = tracer.starts[0];
  EXPECT_EQ(s.parent, ambient);
  EXPECT_EQ(s.attributes.at("messaging.batch.message_count"), "3");
  ASSERT_EQ(s.links.size(), 2u);
  EXPECT_EQ(s.links[0].context, c1);
  EXPECT_EQ(s.links[0].attributes, (AttributeMap{{"messaging.destination.partition.id", "'0'"},
                                                 {"messaging.kafka.offset", "41"}}));
  EXPECT_EQ(s.links[1].attributes, (AttributeMap{{"messaging.destination.partition.id", "'7'"},
                                                 {"messaging.kafka.offset", "99"}}));
  EXPECT_EQ(links.skipped(), 1u);
}

TEST(MessagingSpanTest, BatchWithoutAmbientIsARoot) {
  const SpanContext c1 = make_context(1, 11);
  BatchLinks<2> links;
  links.add(c1, {{attr::kMessagingMessageId, "a"}});
  MessagingOperation op = kafka_process("t");
  op.batch_message_count = 1;
  RecordingTracer tracer;
  start_consumer_batch_span(tracer, op, links.links(), ConsumerTracePolicy::adaptive(),
                            SpanContext());
  EXPECT_EQ(tracer.starts[0].parent_source, ParentSource::kRoot);
  ASSERT_EQ(tracer.starts[0].links.size(), 1u);
  EXPECT_EQ(tracer.starts[0].links[0].attributes["messaging.message.id"], "'a'");
}

TEST(MessagingSpanTest, BatchLinksDropBeyondCapacityAndCutExtraAttributes) {
  BatchLinks<2, 1> links;
  const SpanContext c = make_context(1, 11);
  EXPECT_TRUE(links.add(c, {{"a", 1}, {"b", 2}}));
  EXPECT_TRUE(links.add_with_partition(c, 5, {{"c", 3}}));
  EXPECT_FALSE(links.add(c));
  EXPECT_EQ(links.size(), 2u);
  EXPECT_EQ(links.dropped(), 1u);
  EXPECT_EQ(to_map(links.links()[0].attributes), (AttributeMap{{"a", "1"}}));
  EXPECT_EQ(to_map(links.links()[1].attributes),
            (AttributeMap{{"messaging.destination.partition.id", "'5'"}}));
  links.clear();
  EXPECT_EQ(links.size(), 0u);
  EXPECT_EQ(links.dropped(), 0u);
  EXPECT_TRUE(links.add(c));
}

// --- Errors -------------------------------------------------------------------------------------

TEST(MessagingSpanTest, ErrorSetsStatusTypeAndDescription) {
  RecordingRecorder recorder;
  {
    Span span(make_context(1, 2), &recorder);
    set_messaging_error(span, "UNKNOWN_TOPIC_OR_PARTITION", "Broker: Unknown topic");
  }
  EXPECT_EQ(recorder.code, StatusCode::kError);
  EXPECT_EQ(recorder.description, "Broker: Unknown topic");
  EXPECT_EQ(recorder.attributes["error.type"], "'UNKNOWN_TOPIC_OR_PARTITION'");
  EXPECT_TRUE(recorder.ended);
}

TEST(MessagingSpanTest, HighCardinalityOrEmptyErrorTypesBecomeOther) {
  EXPECT_EQ(sanitize_error_type(""), "_OTHER");
  EXPECT_EQ(sanitize_error_type("connection refused by 10.0.0.1"), "_OTHER");
  EXPECT_EQ(sanitize_error_type(std::string(65, 'E')), "_OTHER");
  EXPECT_EQ(sanitize_error_type("bad\x01type"), "_OTHER");
  EXPECT_EQ(sanitize_error_type("amqp:decode-error"), "amqp:decode-error");
  EXPECT_EQ(sanitize_error_type("connection-forced"), "connection-forced");

  RecordingRecorder recorder;
  Span span(make_context(1, 2), &recorder);
  set_messaging_error(span, "");
  EXPECT_EQ(recorder.attributes["error.type"], "'_OTHER'");
}

TEST(MessagingSpanTest, SuccessLeavesStatusUnsetAndNoErrorType) {
  RecordingRecorder recorder;
  {
    RecordingTracer tracer;
    Span span = start_messaging_span(tracer, kafka_process("t"));
    EXPECT_EQ(tracer.starts[0].attributes.count("error.type"), 0u);
  }
  EXPECT_EQ(recorder.code, StatusCode::kUnset);
  EXPECT_TRUE(recorder.attributes.empty());
}

// --- System helpers feeding the span ------------------------------------------------------------

TEST(MessagingSpanTest, KafkaAttributesReachTheSpan) {
  MessagingOperation op = kafka_process("orders");
  const DecimalString partition(4);
  op.partition_id = partition.view();
  op.consumer_group = "billing";
  const char key[] = "customer-7";
  KafkaRecordAttributes record;
  record.offset = 1234;
  record.key = key;
  record.key_size = sizeof(key) - 1;
  record.tombstone = true;
  record.cluster_id = "lkc-1";
  ASSERT_TRUE(add_kafka_attributes(op, record));
  RecordingTracer tracer;
  start_messaging_span(tracer, op);
  const auto& a = tracer.starts[0].attributes;
  EXPECT_EQ(a.at("messaging.destination.partition.id"), "'4'");
  EXPECT_EQ(a.at("messaging.kafka.offset"), "1234");
  EXPECT_EQ(a.at("messaging.kafka.message.key"), "'customer-7'");
  EXPECT_EQ(a.at("messaging.kafka.message.tombstone"), "true");
  EXPECT_EQ(a.at("messaging.kafka.cluster.id"), "'lkc-1'");
  EXPECT_EQ(a.at("messaging.consumer.group.name"), "'billing'");
}

TEST(MessagingSpanTest, RabbitmqProcessSpanIsNamedAfterTheComposedDestination) {
  const auto destination = rabbitmq_consume_destination("orders", "eu", "billing-q");
  MessagingOperation op;
  op.system = kSystemRabbitmq;
  op.type = OperationType::kProcess;
  op.destination.name = destination.view();
  ASSERT_TRUE(add_rabbitmq_attributes(op, "eu", 17u));
  RecordingTracer tracer;
  start_messaging_span(tracer, op);
  EXPECT_EQ(tracer.starts[0].name, "process orders:eu:billing-q");
  EXPECT_EQ(tracer.starts[0].attributes["messaging.rabbitmq.destination.routing_key"], "'eu'");
  EXPECT_EQ(tracer.starts[0].attributes["messaging.rabbitmq.message.delivery_tag"], "17");
}

TEST(MessagingSpanTest, StartOptionsCanBeInspectedAndAdjustedBeforeStart) {
  auto start = MessagingSpanStart::for_consumer(kafka_process("t"), make_context(1, 2),
                                                ConsumerTracePolicy::adaptive(), SpanContext());
  EXPECT_EQ(start.name(), "process t");
  EXPECT_TRUE(start.parenting().parented_on_creation_context);
  start.options().start_time = Timestamp(std::chrono::nanoseconds(5));
  RecordingTracer tracer;
  start.start(tracer);
  EXPECT_EQ(tracer.starts.size(), 1u);
}

}  // namespace
}  // namespace hoptrace::messaging
