#include "hoptrace/core/messaging/messaging_span.h"

#include "hoptrace/core/messaging/attributes.h"
#include "hoptrace/core/messaging/hop_count.h"

namespace hoptrace::messaging {

void MessagingSpanStart::add(std::string_view key, AttributeValue value) noexcept {
  if (!attributes_.push_back(Attribute{key, value})) ++dropped_attributes_;
}

MessagingSpanStart::MessagingSpanStart(const MessagingOperation& op) noexcept
    : name_(SpanName::make(op.effective_operation_name(), op.destination, op.server_address,
                           op.server_port)) {
  const OperationType type = op.type;
  const bool batch = op.is_batch() && type != OperationType::kCreate;

  // The attributes samplers need come first, so they survive even if extras overflow.
  add(attr::kMessagingOperationName, op.effective_operation_name());
  add(attr::kMessagingOperationType, to_string(type));
  add(attr::kMessagingSystem, op.system);
  const Destination& d = op.destination;
  if (!d.name.empty()) add(attr::kMessagingDestinationName, d.name);
  if (!d.template_name.empty()) add(attr::kMessagingDestinationTemplate, d.template_name);
  if (d.temporary) add(attr::kMessagingDestinationTemporary, true);
  if (d.anonymous) add(attr::kMessagingDestinationAnonymous, true);
  if (!op.partition_id.empty()) add(attr::kMessagingDestinationPartitionId, op.partition_id);
  if (!op.server_address.empty()) {
    add(attr::kServerAddress, op.server_address);
    if (op.server_port > 0) add(attr::kServerPort, op.server_port);
  }
  if (batch) add(attr::kMessagingBatchMessageCount, *op.batch_message_count);
  if (!op.consumer_group.empty()) add(attr::kMessagingConsumerGroupName, op.consumer_group);
  if (!op.subscription_name.empty()) {
    add(attr::kMessagingDestinationSubscriptionName, op.subscription_name);
  }
  if (!batch && !op.message_id.empty()) add(attr::kMessagingMessageId, op.message_id);
  if (!op.conversation_id.empty()) {
    add(attr::kMessagingMessageConversationId, op.conversation_id);
  }
  if (type != OperationType::kCreate && !op.client_id.empty()) {
    add(attr::kMessagingClientId, op.client_id);
  }
  const bool peer_applies = type != OperationType::kCreate && type != OperationType::kProcess;
  if (peer_applies && !op.network_peer_address.empty()) {
    add(attr::kNetworkPeerAddress, op.network_peer_address);
    if (op.network_peer_port > 0) add(attr::kNetworkPeerPort, op.network_peer_port);
  }
  if (type != OperationType::kSettle) {
    if (op.body_size) add(attr::kMessagingMessageBodySize, *op.body_size);
    if (op.envelope_size) add(attr::kMessagingMessageEnvelopeSize, *op.envelope_size);
  }
  for (const Attribute& extra : op.extra_attributes) add(extra.key, extra.value);

  options_.kind = span_kind(type, op.send_context_use);
  options_.parent_source = ParentSource::kAmbient;
  options_.attributes = attributes_.view();
}

MessagingSpanStart::MessagingSpanStart(const MessagingOperation& op, ArrayView<Link> links) noexcept
    : MessagingSpanStart(op) {
  options_.links = links;
}

MessagingSpanStart::MessagingSpanStart(const MessagingOperation& op,
                                       const SpanContext& creation_context,
                                       const ConsumerTracePolicy& policy,
                                       const SpanContext& ambient) noexcept
    : MessagingSpanStart(op) {
  // Semconv allows "parent instead of link" for single-message Process spans only.
  const ConsumerTracePolicy effective =
      op.type == OperationType::kProcess ? policy : ConsumerTracePolicy::link();
  apply(decide_consumer_parenting(effective, ambient, ArrayView<SpanContext>(&creation_context, 1),
                                  op.is_batch()),
        &creation_context, ambient);
}

MessagingSpanStart::MessagingSpanStart(const MessagingOperation& op, ArrayView<Link> message_links,
                                       const ConsumerTracePolicy& policy,
                                       const SpanContext& ambient) noexcept
    : MessagingSpanStart(op) {
  apply(decide_consumer_parenting(policy, ambient, message_links, /*batch_api=*/true), nullptr,
        ambient);
  options_.links = message_links;
}

MessagingSpanStart MessagingSpanStart::for_operation(const MessagingOperation& op,
                                                     ArrayView<Link> links) noexcept {
  return MessagingSpanStart(op, links);
}

MessagingSpanStart MessagingSpanStart::for_consumer(const MessagingOperation& op,
                                                    const SpanContext& creation_context,
                                                    const ConsumerTracePolicy& policy,
                                                    const SpanContext& ambient) noexcept {
  return MessagingSpanStart(op, creation_context, policy, ambient);
}

MessagingSpanStart MessagingSpanStart::for_consumer_batch(const MessagingOperation& op,
                                                          ArrayView<Link> message_links,
                                                          const ConsumerTracePolicy& policy,
                                                          const SpanContext& ambient) noexcept {
  return MessagingSpanStart(op, message_links, policy, ambient);
}

void MessagingSpanStart::apply(const ConsumerParenting& parenting,
                               const SpanContext* single_creation,
                               const SpanContext& ambient) noexcept {
  parenting_ = parenting;
  options_.parent_source = parenting.parent_source;
  if (parenting.parent_source == ParentSource::kExplicit && parenting.parent != nullptr) {
    options_.parent = *parenting.parent;
  }
  if (single_creation != nullptr) {
    if (parenting.link_creation_contexts && single_creation->is_valid()) {
      single_links_.push_back(Link{*single_creation, {}});
    }
    if (parenting.link_ambient && ambient.is_valid()) single_links_.push_back(Link{ambient, {}});
    options_.links = single_links_.view();
  }
  if (parenting.set_hop_count && parenting.parent != nullptr) {
    trace_state_ = trace_state_with_hop_count(parenting.parent->trace_state(), parenting.hop_count);
    options_.trace_state = &trace_state_;
  }
  // The decision's pointers borrow the caller's arguments; keep only values past this call.
  parenting_.parent = nullptr;
}

Span start_messaging_span(Tracer& tracer, const MessagingOperation& op,
                          ArrayView<Link> links) noexcept {
  return MessagingSpanStart::for_operation(op, links).start(tracer);
}

Span start_consumer_span(Tracer& tracer, const MessagingOperation& op,
                         const SpanContext& creation_context, const ConsumerTracePolicy& policy,
                         const SpanContext& ambient) noexcept {
  return MessagingSpanStart::for_consumer(op, creation_context, policy, ambient).start(tracer);
}

Span start_consumer_batch_span(Tracer& tracer, const MessagingOperation& op,
                               ArrayView<Link> message_links, const ConsumerTracePolicy& policy,
                               const SpanContext& ambient) noexcept {
  return MessagingSpanStart::for_consumer_batch(op, message_links, policy, ambient).start(tracer);
}

}  // namespace hoptrace::messaging
