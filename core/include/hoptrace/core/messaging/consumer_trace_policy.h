#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "hoptrace/core/array_view.h"
#include "hoptrace/core/span.h"
#include "hoptrace/core/span_context.h"
#include "hoptrace/core/tracer.h"

namespace hoptrace::messaging {

/// How a consumer-side span (receive, process) is parented and linked (spec §1.3).
///
/// In every mode the span links to each valid creation context it covers (semconv: SHOULD),
/// and a span has exactly one parent, so a batch is never parented on a message: batches are
/// always children of the ambient span (or roots) with one link per message.
enum class ConsumerTraceMode : std::uint8_t {
  /// Default. A single-message span with no valid ambient span becomes the child of the
  /// message's creation context (one trace from producer to consumer) and also links to it. A
  /// batch, or a span that already has a valid ambient parent (HTTP server, FaaS invocation),
  /// is the child of that ambient span (or a root) and links to every creation context.
  kAdaptive,
  /// Semconv's opt-in form: a single-message span is the child of the creation context even
  /// when an ambient span exists, and links to both the creation context and the ambient one.
  /// Batches fall back to links (a span has one parent).
  kParent,
  /// Semconv's default form: never parented on a creation context; child of the ambient span
  /// or a root, with links to every creation context.
  kLink,
  /// As kAdaptive, but once the message's trace has crossed `max_hops` broker hops, the span
  /// starts a new trace (a root) that links to the creation context. Long pipelines then become
  /// a chain of bounded traces connected by links. The count travels in the trace state
  /// (hop_count.h).
  kNewTraceAfterHops,
};

/// The name used in configuration: `adaptive`, `parent`, `link`, `new_trace_after`.
std::string_view to_string(ConsumerTraceMode mode) noexcept;

/// The environment variable from_environment() reads.
inline constexpr std::string_view kConsumerTracePolicyEnv = "HOPTRACE_CONSUMER_TRACE_POLICY";

/// A consumer trace policy: a small value type, cheap to copy, safe to share between threads.
struct ConsumerTracePolicy {
  ConsumerTraceMode mode = ConsumerTraceMode::kAdaptive;
  /// kNewTraceAfterHops only: the most broker hops one trace may contain. With N, a consumer
  /// continues the trace of a message that has crossed fewer than N hops, and starts a new one
  /// otherwise (0 = every consumer without an ambient span starts a new trace).
  std::uint32_t max_hops = 0;

  static constexpr ConsumerTracePolicy adaptive() noexcept { return {}; }
  static constexpr ConsumerTracePolicy parent() noexcept { return {ConsumerTraceMode::kParent, 0}; }
  static constexpr ConsumerTracePolicy link() noexcept { return {ConsumerTraceMode::kLink, 0}; }
  static constexpr ConsumerTracePolicy new_trace_after_hops(std::uint32_t n) noexcept {
    return {ConsumerTraceMode::kNewTraceAfterHops, n};
  }

  /// True when the policy reads and writes the hop counter (only then does a consumer span
  /// get a new trace state, which allocates).
  constexpr bool counts_hops() const noexcept {
    return mode == ConsumerTraceMode::kNewTraceAfterHops;
  }

  /// Parses `adaptive`, `parent`, `link` or `new_trace_after:N` (N decimal, 0..kMaxHopCount),
  /// case-insensitive, surrounding blanks ignored. nullopt for anything else.
  static std::optional<ConsumerTracePolicy> parse(std::string_view text) noexcept;

  /// Reads HOPTRACE_CONSUMER_TRACE_POLICY. Unset or empty gives kAdaptive; an unparsable value
  /// gives kAdaptive and one warning on stderr per process (naming the value and the accepted
  /// forms). Call at set-up, not per message.
  static ConsumerTracePolicy from_environment() noexcept;

  friend constexpr bool operator==(const ConsumerTracePolicy& a,
                                   const ConsumerTracePolicy& b) noexcept {
    return a.mode == b.mode && a.max_hops == b.max_hops;
  }
  friend constexpr bool operator!=(const ConsumerTracePolicy& a,
                                   const ConsumerTracePolicy& b) noexcept {
    return !(a == b);
  }
};

/// What decide_consumer_parenting() chose. The pointers borrow from its inputs and live as long
/// as they do.
struct ConsumerParenting {
  /// kExplicit (parent below) or kRoot; never kAmbient: the decision already looked at the
  /// ambient context it was given, so the result does not depend on the thread it is used on.
  ParentSource parent_source = ParentSource::kRoot;
  /// The parent when parent_source is kExplicit: the ambient context or a creation context.
  const SpanContext* parent = nullptr;
  /// Link every valid creation context (true in every current mode; kept explicit so callers
  /// never guess).
  bool link_creation_contexts = true;
  /// Also link the ambient context (kParent when it lost the parent slot to the creation
  /// context).
  bool link_ambient = false;
  /// The span continues the hop count: its trace state must be
  /// trace_state_with_hop_count(parent->trace_state(), hop_count) (SpanStartOptions::trace_state).
  bool set_hop_count = false;
  std::uint32_t hop_count = 0;
  /// True when the span is the child of a creation context (it continues the message's trace).
  bool parented_on_creation_context = false;
};

/// The pure parenting decision for a consumer span. Never allocates, never throws.
///
/// `ambient` is the context the span would otherwise be a child of (usually
/// Context::current().span_context; invalid when there is none). `creation_contexts` are those
/// of the messages the span covers, in order (invalid ones mean "this message carried none").
/// `batch_api` is true when the operation is a batch API, even if it returned one message: a
/// batch is never parented on a message. A non-batch call with several contexts is treated as
/// a batch.
ConsumerParenting decide_consumer_parenting(const ConsumerTracePolicy& policy,
                                            const SpanContext& ambient,
                                            ArrayView<SpanContext> creation_contexts,
                                            bool batch_api) noexcept;

/// The same decision over a batch's links (each link's context is a creation context), so
/// batch callers need no second array.
ConsumerParenting decide_consumer_parenting(const ConsumerTracePolicy& policy,
                                            const SpanContext& ambient,
                                            ArrayView<Link> message_links, bool batch_api) noexcept;

}  // namespace hoptrace::messaging
