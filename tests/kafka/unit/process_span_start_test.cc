#include "process_span_start.h"

#include <gtest/gtest.h>

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

// Every parenting case: the template path gives the options MessagingSpanStart::for_consumer
// gives (the generic path the consumer used before, and still uses without a template).
TEST(ProcessSpanStart, MatchesMessagingSpanStartForEveryPolicyAndContext) {
  messaging::MessagingOperation base;
  base.system = messaging::kSystemKafka;
  base.type = messaging::OperationType::kProcess;
  base.operation_name = messaging::operation_name::kProcess;
  base.consumer_group = "group";
  base.client_id = "client";
  base.server_address = "localhost";
  base.server_port = 9092;
  messaging::MessagingOperation template_op = base;
  template_op.partition_id = "0";
  template_op.body_size = 0;
  const auto made = MessageSpanTemplate::make("orders", template_op, true);
  ASSERT_NE(made, nullptr);

  const TraceFlags sampled(TraceFlags::kSampled);
  const std::vector<SpanContext> creations = {
      SpanContext(),
      SpanContext(TraceId::from_u64(1, 1), SpanId::from_u64(1), sampled, true),
      SpanContext(TraceId::from_u64(1, 2), SpanId::from_u64(2), sampled, true,
                  messaging::trace_state_with_hop_count(TraceState::parse("v=1"), 1)),
      SpanContext(TraceId::from_u64(1, 3), SpanId::from_u64(3), sampled, true,
                  messaging::trace_state_with_hop_count(TraceState(), 5)),
  };
  const std::vector<SpanContext> ambients = {
      SpanContext(), SpanContext(TraceId::from_u64(2, 9), SpanId::from_u64(9), sampled, false)};
  const std::vector<messaging::ConsumerTracePolicy> policies = {
      messaging::ConsumerTracePolicy::adaptive(), messaging::ConsumerTracePolicy::parent(),
      messaging::ConsumerTracePolicy::link(),
      messaging::ConsumerTracePolicy::new_trace_after_hops(0),
      messaging::ConsumerTracePolicy::new_trace_after_hops(3)};
  const std::string key = "k-1";

  int cases = 0;
  int with_hop_count = 0;
  int parented = 0;
  int linked_twice = 0;
  for (const auto& policy : policies) {
    for (const SpanContext& creation : creations) {
      for (const SpanContext& ambient : ambients) {
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
        const std::string what = std::string(messaging::to_string(policy.mode)) + " creation " +
                                 describe(creation) + " ambient " + describe(ambient);
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

}  // namespace
}  // namespace hoptrace::kafka::detail
