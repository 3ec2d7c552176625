#pragma once

#include <cstddef>
#include <string_view>

#include "hoptrace/core/array_view.h"
#include "hoptrace/core/attribute.h"
#include "hoptrace/core/context.h"
#include "hoptrace/core/messaging/consumer_trace_policy.h"
#include "hoptrace/core/messaging/inline_vector.h"
#include "hoptrace/core/messaging/messaging_operation.h"
#include "hoptrace/core/messaging/span_name.h"
#include "hoptrace/core/span.h"
#include "hoptrace/core/trace_state.h"
#include "hoptrace/core/tracer.h"

/// \file
/// Starting messaging spans the way the conventions say (spec §1.2-1.4), without allocating:
/// the name is built in an inline buffer, the attributes the sampler must see are in an inline
/// array passed at start, and the consumer parenting follows a ConsumerTracePolicy.
///
/// Typical per-message use in an adapter:
/// \code
///   messaging::MessagingOperation op;
///   op.system = messaging::kSystemKafka;
///   op.type = messaging::OperationType::kProcess;
///   op.operation_name = messaging::operation_name::kProcess;
///   op.destination.name = topic;
///   const messaging::DecimalString partition(rkmessage->partition);
///   op.partition_id = partition.view();
///   messaging::add_kafka_attributes(op, record);
///   Span span = messaging::start_consumer_span(tracer, op, creation_context, policy);
/// \endcode

namespace hoptrace::messaging {

/// The SpanStartOptions of one messaging span, with all their storage inline: what the
/// start_*_span() functions build, exposed so that callers can inspect or adjust the options
/// (e.g. set start_time) before starting.
///
/// Borrows every string of the MessagingOperation and every link array it is given: they must
/// outlive start(). Neither copyable nor movable (options() points into it); the factories
/// return it by guaranteed copy elision: `auto s = MessagingSpanStart::for_operation(op);`.
/// About 2 KiB; not thread-safe.
class MessagingSpanStart {
 public:
  /// Room for every generic attribute (20) plus kMaxExtraAttributes.
  static constexpr std::size_t kMaxAttributes = 32;

  /// A span whose parent is the ambient span: producer (create, send), settle, and consumer
  /// spans for which no creation context applies. `links` are the creation contexts the span
  /// SHOULD link to: for a Send span, the contexts of Create spans or user-supplied ones it
  /// carries (none for a single-message Send, whose own context is injected); for a Settle
  /// span, optionally the messages' creation contexts.
  static MessagingSpanStart for_operation(const MessagingOperation& op,
                                          ArrayView<Link> links = {}) noexcept;

  /// A receive or process span for one message delivered by a single-message API, parented
  /// and linked per `policy` (decide_consumer_parenting()). `ambient` is the context the span
  /// would otherwise be a child of (invalid when there is none).
  ///
  /// The policy's parent-on-creation forms apply to process spans only (semconv: "parent
  /// instead of link" is for single-message Process spans); a receive span always takes the
  /// link form, so adapters must not make a receive span the ambient of the process span
  /// that follows it, or the process span would see a valid ambient and link too.
  static MessagingSpanStart for_consumer(const MessagingOperation& op,
                                         const SpanContext& creation_context,
                                         const ConsumerTracePolicy& policy,
                                         const SpanContext& ambient) noexcept;

  /// A receive or process span covering a batch (op.batch_message_count should be set): a child
  /// of `ambient` (or a root) with `message_links`, one per message creation context
  /// (BatchLinks builds them). The links are borrowed, not copied.
  static MessagingSpanStart for_consumer_batch(const MessagingOperation& op,
                                               ArrayView<Link> message_links,
                                               const ConsumerTracePolicy& policy,
                                               const SpanContext& ambient) noexcept;

  MessagingSpanStart(const MessagingSpanStart&) = delete;
  MessagingSpanStart& operator=(const MessagingSpanStart&) = delete;

  /// The span name; lives as long as this object.
  std::string_view name() const noexcept { return name_.view(); }
  /// True when the name did not fit SpanName::kCapacity.
  bool name_truncated() const noexcept { return name_.truncated(); }
  /// The options; valid as long as this object and what it borrows.
  const SpanStartOptions& options() const noexcept { return options_; }
  SpanStartOptions& options() noexcept { return options_; }
  /// The parenting decision taken (for_consumer*; default-constructed for for_operation, whose
  /// parent is the ambient span). Its `parent` pointer is cleared, since it borrowed the factory's
  /// arguments: the parent itself is in options().parent.
  const ConsumerParenting& parenting() const noexcept { return parenting_; }
  /// Attributes that did not fit kMaxAttributes (0 unless extras were misused).
  std::size_t dropped_attributes() const noexcept { return dropped_attributes_; }

  /// Starts the span. Never throws.
  Span start(Tracer& tracer) const noexcept { return tracer.start_span(name_.view(), options_); }

 private:
  explicit MessagingSpanStart(const MessagingOperation& op) noexcept;
  MessagingSpanStart(const MessagingOperation& op, ArrayView<Link> links) noexcept;
  MessagingSpanStart(const MessagingOperation& op, const SpanContext& creation_context,
                     const ConsumerTracePolicy& policy, const SpanContext& ambient) noexcept;
  MessagingSpanStart(const MessagingOperation& op, ArrayView<Link> message_links,
                     const ConsumerTracePolicy& policy, const SpanContext& ambient) noexcept;
  void add(std::string_view key, AttributeValue value) noexcept;
  void apply(const ConsumerParenting& parenting, const SpanContext* single_creation,
             const SpanContext& ambient) noexcept;

  SpanName name_;
  InlineVector<Attribute, kMaxAttributes> attributes_;
  InlineVector<Link, 2> single_links_;  // creation context + ambient, single-message consumers
  TraceState trace_state_;              // only set when the hop counter is continued
  ConsumerParenting parenting_;
  SpanStartOptions options_;
  std::size_t dropped_attributes_ = 0;
};

/// Starts a producer/settle/ambient-parented span: MessagingSpanStart::for_operation(op,
/// links).start(tracer).
Span start_messaging_span(Tracer& tracer, const MessagingOperation& op,
                          ArrayView<Link> links = {}) noexcept;

/// Starts a single-message consumer span (see MessagingSpanStart::for_consumer).
Span start_consumer_span(Tracer& tracer, const MessagingOperation& op,
                         const SpanContext& creation_context, const ConsumerTracePolicy& policy,
                         const SpanContext& ambient) noexcept;

/// As above, with the ambient context of this thread (Context::current()).
inline Span start_consumer_span(Tracer& tracer, const MessagingOperation& op,
                                const SpanContext& creation_context,
                                const ConsumerTracePolicy& policy = {}) noexcept {
  return start_consumer_span(tracer, op, creation_context, policy, Context::current().span_context);
}

/// Starts a batch consumer span (see MessagingSpanStart::for_consumer_batch).
Span start_consumer_batch_span(Tracer& tracer, const MessagingOperation& op,
                               ArrayView<Link> message_links, const ConsumerTracePolicy& policy,
                               const SpanContext& ambient) noexcept;

/// As above, with the ambient context of this thread (Context::current()).
inline Span start_consumer_batch_span(Tracer& tracer, const MessagingOperation& op,
                                      ArrayView<Link> message_links,
                                      const ConsumerTracePolicy& policy = {}) noexcept {
  return start_consumer_batch_span(tracer, op, message_links, policy,
                                   Context::current().span_context);
}

}  // namespace hoptrace::messaging
