#pragma once

#include <string_view>

#include "hoptrace/core/messaging/consumer_trace_policy.h"
#include "hoptrace/core/messaging/inline_vector.h"
#include "hoptrace/core/span.h"
#include "hoptrace/core/span_context.h"
#include "hoptrace/core/trace_state.h"
#include "hoptrace/core/tracer.h"
#include "span_template.h"

namespace hoptrace::kafka::detail {

// The start options of one consumed message's Process span, from its topic's template:
// the options MessagingSpanStart::for_consumer builds (same name, kind, attributes, parent,
// links and hop-count trace state, by the same core decision, decide_consumer_parenting), with
// the attributes copied from the template instead of built per message.
//
// When `tracer` is given and says the span cannot record (Tracer::may_record), the attributes
// are left out: the span's context is the same without them.
//
// Borrows the template, `creation` and `ambient`: they must outlive start(). Not copyable
// (the options point into it); lives on the stack.
class ProcessSpanStart {
 public:
  ProcessSpanStart(const MessageSpanTemplate& span_template, const MessageFields& fields,
                   const SpanContext& creation, const messaging::ConsumerTracePolicy& policy,
                   const SpanContext& ambient, const Tracer* tracer = nullptr) noexcept;

  // Only what decides the span's context (parent, links, hop-count trace state): no name and
  // no attributes until describe(). For the unsampled path, which asks Tracer::may_record
  // before it looks for a template: a span that cannot record needs neither.
  ProcessSpanStart(const SpanContext& creation, const messaging::ConsumerTracePolicy& policy,
                   const SpanContext& ambient) noexcept;

  // Adds the template's name, kind and the message's attributes (what the first constructor
  // adds when the span may record). `fields` is only read here.
  void describe(const MessageSpanTemplate& span_template, const MessageFields& fields) noexcept;
  ProcessSpanStart(const ProcessSpanStart&) = delete;
  ProcessSpanStart& operator=(const ProcessSpanStart&) = delete;

  std::string_view name() const noexcept { return name_; }
  const SpanStartOptions& options() const noexcept { return options_; }
  Span start(Tracer& tracer) const noexcept { return tracer.start_span(name_, options_); }

 private:
  std::string_view name_;
  MessageSpanTemplate::Attributes attributes_;
  messaging::InlineVector<Link, 2> links_;
  TraceState trace_state_;  // only set when the hop counter is continued
  SpanStartOptions options_;
};

}  // namespace hoptrace::kafka::detail
