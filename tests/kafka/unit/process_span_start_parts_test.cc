// The consumer's unsampled path builds a ProcessSpanStart in two parts (parenting, then
// describe() once the tracer says the span may record): together they must give what the
// one-step constructor gives, and the parenting part alone the same parent, links and trace
// state.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hoptrace/core/messaging/attributes.h"
#include "hoptrace/core/messaging/hop_count.h"
#include "hoptrace/core/messaging/kafka.h"
#include "process_span_start.h"

namespace hoptrace::kafka::detail {
namespace {

std::string text_of(const SpanContext& context) {
  if (!context.is_valid()) return "invalid";
  return context.trace_id().to_hex() + "/" + context.span_id().to_hex() + "/" +
         std::string(context.trace_state().header());
}

std::string text_of(const SpanStartOptions& options, bool with_attributes) {
  std::string out = std::to_string(static_cast<int>(options.parent_source)) + " parent " +
                    text_of(options.parent) + " links";
  for (const Link& link : options.links) out += " " + text_of(link.context);
  out += " state ";
  out += options.trace_state != nullptr ? std::string(options.trace_state->header()) : "-";
  if (with_attributes) {
    out += " kind " + std::to_string(static_cast<int>(options.kind)) + " distinct " +
           std::to_string(options.attributes_distinct) + " attributes";
    for (const Attribute& attribute : options.attributes) out += " " + std::string(attribute.key);
  }
  return out;
}

TEST(ProcessSpanStartParts, ParentingThenDescribeEqualsTheOneStepStart) {
  messaging::MessagingOperation op;
  op.system = messaging::kSystemKafka;
  op.type = messaging::OperationType::kProcess;
  op.operation_name = messaging::operation_name::kProcess;
  op.consumer_group = "group";
  op.client_id = "client";
  op.partition_id = "0";
  op.body_size = 0;
  const auto made = MessageSpanTemplate::make("orders", op, true);
  ASSERT_NE(made, nullptr);

  const TraceFlags sampled(TraceFlags::kSampled);
  const std::vector<SpanContext> creations = {
      SpanContext(),
      SpanContext(TraceId::from_u64(1, 1), SpanId::from_u64(1), sampled, true),
      SpanContext(TraceId::from_u64(1, 3), SpanId::from_u64(3), sampled, true,
                  messaging::trace_state_with_hop_count(TraceState::parse("v=1"), 2)),
  };
  const std::vector<SpanContext> ambients = {
      SpanContext(), SpanContext(TraceId::from_u64(2, 9), SpanId::from_u64(9), sampled, false)};
  const std::vector<messaging::ConsumerTracePolicy> policies = {
      messaging::ConsumerTracePolicy::adaptive(), messaging::ConsumerTracePolicy::parent(),
      messaging::ConsumerTracePolicy::link(),
      messaging::ConsumerTracePolicy::new_trace_after_hops(5)};
  const std::string key = "k";
  MessageFields fields;
  fields.partition_id = "3";
  fields.body_size = 10;
  fields.offset = 7;
  fields.key = key.data();
  fields.key_size = key.size();

  int with_links = 0;
  int with_state = 0;
  for (const auto& policy : policies) {
    for (const SpanContext& creation : creations) {
      for (const SpanContext& ambient : ambients) {
        const ProcessSpanStart whole(*made, fields, creation, policy, ambient);
        ProcessSpanStart parts(creation, policy, ambient);
        const std::string what = std::string(messaging::to_string(policy.mode)) + " creation " +
                                 text_of(creation) + " ambient " + text_of(ambient);
        // The parenting part alone decides the same context: what may_record looks at.
        EXPECT_EQ(text_of(parts.options(), false), text_of(whole.options(), false)) << what;
        EXPECT_TRUE(parts.options().attributes.empty()) << what;
        EXPECT_EQ(parts.options().kind, SpanKind::kConsumer) << what;
        parts.describe(*made, fields);
        EXPECT_EQ(parts.name(), whole.name()) << what;
        EXPECT_EQ(text_of(parts.options(), true), text_of(whole.options(), true)) << what;
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
