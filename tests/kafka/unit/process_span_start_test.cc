#include "process_span_start.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "attribute_text.h"
#include "hoptrace/core/messaging/attributes.h"
#include "hoptrace/core/messaging/hop_count.h"
#include "hoptrace/core/messaging/kafka.h"
#include "hoptrace/core/messaging/messaging_span.h"

namespace hoptrace::kafka::detail {
namespace {

using hoptrace::kafka::testing::attribute_texts;

std::string describe(const SpanContext& context) {
  if (!context.is_valid()) return "invalid";
  return std::to_string(context.trace_id().bytes()[15]) + "/" +
         std::to_string(context.span_id().bytes()[7]) + "/" +
         std::string(context.trace_state().header());
}

std::vector<std::string> describe(ArrayView<Link> links) {
  std::vector<std::string> out;
  for (const Link& link : links) out.push_back(describe(link.context));
  return out;
}

// The process operation the consumer describes, without destination and per-message fields.
messaging::MessagingOperation process_operation() {
  messaging::MessagingOperation op;
  op.system = messaging::kSystemKafka;
  op.type = messaging::OperationType::kProcess;
  op.operation_name = messaging::operation_name::kProcess;
  op.consumer_group = "group";
  op.client_id = "client";
  op.server_address = "localhost";
  op.server_port = 9092;
  return op;
}

std::unique_ptr<MessageSpanTemplate> orders_template() {
  messaging::MessagingOperation op = process_operation();
  op.partition_id = "0";
  op.body_size = 0;
  return MessageSpanTemplate::make("orders", op, true);
}

// Creation contexts: none, one, and two carrying a hop count (so every policy branch runs).
std::vector<SpanContext> creations() {
  const TraceFlags sampled(TraceFlags::kSampled);
  return {
      SpanContext(),
      SpanContext(TraceId::from_u64(1, 1), SpanId::from_u64(1), sampled, true),
      SpanContext(TraceId::from_u64(1, 2), SpanId::from_u64(2), sampled, true,
                  messaging::trace_state_with_hop_count(TraceState::parse("v=1"), 1)),
      SpanContext(TraceId::from_u64(1, 3), SpanId::from_u64(3), sampled, true,
                  messaging::trace_state_with_hop_count(TraceState(), 5)),
  };
}

std::vector<SpanContext> ambients() {
  return {SpanContext(), SpanContext(TraceId::from_u64(2, 9), SpanId::from_u64(9),
                                     TraceFlags(TraceFlags::kSampled), false)};
}

std::vector<messaging::ConsumerTracePolicy> policies() {
  return {messaging::ConsumerTracePolicy::adaptive(), messaging::ConsumerTracePolicy::parent(),
          messaging::ConsumerTracePolicy::link(),
          messaging::ConsumerTracePolicy::new_trace_after_hops(0),
          messaging::ConsumerTracePolicy::new_trace_after_hops(3)};
}

std::string describe_case(const messaging::ConsumerTracePolicy& policy,
                          const SpanContext& creation, const SpanContext& ambient) {
  return std::string(messaging::to_string(policy.mode)) + " creation " + describe(creation) +
         " ambient " + describe(ambient);
}

// Every parenting case: the template path gives the options MessagingSpanStart::for_consumer
// gives (the generic path the consumer used before, and still uses without a template).
TEST(ProcessSpanStart, MatchesMessagingSpanStartForEveryPolicyAndContext) {
  const messaging::MessagingOperation base = process_operation();
  const auto made = orders_template();
  ASSERT_NE(made, nullptr);

  const std::string key = "k-1";

  int cases = 0;
  int with_hop_count = 0;
  int parented = 0;
  int linked_twice = 0;
  for (const auto& policy : policies()) {
    for (const SpanContext& creation : creations()) {
      for (const SpanContext& ambient : ambients()) {
        messaging::MessagingOperation full = base;
        full.destination.name = "orders";
        full.partition_id = "7";
        full.body_size = 100;
        messaging::KafkaRecordAttributes record;
        record.offset = 42;
        record.key = key.data();
        record.key_size = key.size();
        messaging::add_kafka_attributes(full, record);
        const auto expected =
            messaging::MessagingSpanStart::for_consumer(full, creation, policy, ambient);

        MessageFields fields;
        fields.partition_id = "7";
        fields.body_size = 100;
        fields.offset = 42;
        fields.key = key.data();
        fields.key_size = key.size();
        const ProcessSpanStart start(*made, fields, creation, policy, ambient);

        const SpanStartOptions& a = start.options();
        const SpanStartOptions& b = expected.options();
        const std::string what = describe_case(policy, creation, ambient);
        EXPECT_EQ(start.name(), expected.name()) << what;
        EXPECT_EQ(a.kind, b.kind) << what;
        EXPECT_EQ(a.parent_source, b.parent_source) << what;
        EXPECT_EQ(describe(a.parent), describe(b.parent)) << what;
        EXPECT_EQ(describe(a.links), describe(b.links)) << what;
        EXPECT_EQ(attribute_texts(a.attributes), attribute_texts(b.attributes)) << what;
        ASSERT_EQ(a.trace_state == nullptr, b.trace_state == nullptr) << what;
        if (a.trace_state != nullptr) {
          EXPECT_EQ(a.trace_state->header(), b.trace_state->header()) << what;
        }
        ++cases;
        with_hop_count += a.trace_state != nullptr ? 1 : 0;
        parented += a.parent.is_valid() ? 1 : 0;
        linked_twice += a.links.size() == 2 ? 1 : 0;
      }
    }
  }
  EXPECT_EQ(cases, 40);
  // The cases cover every branch: hop count continued, explicit parents, two links.
  EXPECT_GT(with_hop_count, 0);
  EXPECT_GT(parented, 0);
  EXPECT_GT(linked_twice, 0);
}

// The consumer's unsampled path builds a ProcessSpanStart in two parts (parenting, then
// describe() once the tracer says the span may record): together they must give what the
// one-step constructor gives, and the parenting part alone the same parent, links and trace
// state.
std::string describe(const SpanStartOptions& options, bool with_attributes) {
  std::string out = std::to_string(static_cast<int>(options.parent_source)) + " parent " +
                    describe(options.parent) + " links";
  for (const Link& link : options.links) out += " " + describe(link.context);
  out += " state ";
  out += options.trace_state != nullptr ? std::string(options.trace_state->header()) : "-";
  if (with_attributes) {
    out += " kind " + std::to_string(static_cast<int>(options.kind)) + " distinct " +
           std::to_string(options.attributes_distinct) + " attributes";
    for (const std::string& attribute : attribute_texts(options.attributes)) out += " " + attribute;
  }
  return out;
}

TEST(ProcessSpanStart, ParentingThenDescribeEqualsTheOneStepStart) {
  const auto made = orders_template();
  ASSERT_NE(made, nullptr);
  const std::string key = "k";
  MessageFields fields;
  fields.partition_id = "3";
  fields.body_size = 10;
  fields.offset = 7;
  fields.key = key.data();
  fields.key_size = key.size();

  int with_links = 0;
  int with_state = 0;
  for (const auto& policy : policies()) {
    for (const SpanContext& creation : creations()) {
      for (const SpanContext& ambient : ambients()) {
        const ProcessSpanStart whole(*made, fields, creation, policy, ambient);
        ProcessSpanStart parts(creation, policy, ambient);
        const std::string what = describe_case(policy, creation, ambient);
        // The parenting part alone decides the same context: what may_record looks at.
        EXPECT_EQ(describe(parts.options(), false), describe(whole.options(), false)) << what;
        EXPECT_TRUE(parts.options().attributes.empty()) << what;
        EXPECT_EQ(parts.options().kind, SpanKind::kConsumer) << what;
        parts.describe(*made, fields);
        EXPECT_EQ(parts.name(), whole.name()) << what;
        EXPECT_EQ(describe(parts.options(), true), describe(whole.options(), true)) << what;
        EXPECT_FALSE(parts.options().attributes.empty()) << what;
        with_links += parts.options().links.empty() ? 0 : 1;
        with_state += parts.options().trace_state != nullptr ? 1 : 0;
      }
    }
  }
  EXPECT_GT(with_links, 0);
  EXPECT_GT(with_state, 0);
}

}  // namespace
}  // namespace hoptrace::kafka::detail
