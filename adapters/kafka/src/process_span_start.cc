#include "process_span_start.h"

#include "hoptrace/core/array_view.h"
#include "hoptrace/core/messaging/hop_count.h"

namespace hoptrace::kafka::detail {

ProcessSpanStart::ProcessSpanStart(const MessageSpanTemplate& span_template,
                                   const MessageFields& fields, const SpanContext& creation,
                                   const messaging::ConsumerTracePolicy& policy,
                                   const SpanContext& ambient, const Tracer* tracer) noexcept
    : ProcessSpanStart(creation, policy, ambient) {
  name_ = span_template.name();
  options_.kind = span_template.kind();
  // Parent and links decide whether the span can record; only a recording one needs them.
  if (tracer == nullptr || tracer->may_record(options_)) describe(span_template, fields);
}

ProcessSpanStart::ProcessSpanStart(const SpanContext& creation,
                                   const messaging::ConsumerTracePolicy& policy,
                                   const SpanContext& ambient) noexcept {
  options_.kind = SpanKind::kConsumer;
  const messaging::ConsumerParenting parenting = messaging::decide_consumer_parenting(
      policy, ambient, ArrayView<SpanContext>(&creation, 1), /*batch_api=*/false);
  options_.parent_source = parenting.parent_source;
  if (parenting.parent_source == ParentSource::kExplicit && parenting.parent != nullptr) {
    options_.parent = *parenting.parent;
  }
  if (parenting.link_creation_contexts && creation.is_valid()) {
    links_.push_back(Link{creation, {}});
  }
  if (parenting.link_ambient && ambient.is_valid()) links_.push_back(Link{ambient, {}});
  options_.links = links_.view();
  if (parenting.set_hop_count && parenting.parent != nullptr) {
    trace_state_ =
        messaging::trace_state_with_hop_count(parenting.parent->trace_state(), parenting.hop_count);
    options_.trace_state = &trace_state_;
  }
}

void ProcessSpanStart::describe(const MessageSpanTemplate& span_template,
                                const MessageFields& fields) noexcept {
  name_ = span_template.name();
  options_.kind = span_template.kind();
  options_.attributes_distinct = span_template.keys_distinct();
  span_template.attributes_for(fields, attributes_);
  options_.attributes = attributes_.view();
}

}  // namespace hoptrace::kafka::detail
