#pragma once

#include <string_view>

#include "hoptrace/core/array_view.h"
#include "hoptrace/core/attribute.h"
#include "hoptrace/core/context.h"
#include "hoptrace/core/span.h"

namespace hoptrace {

/// Where a new span takes its parent from.
enum class ParentSource : std::uint8_t {
  kAmbient,   ///< the current span on this thread (Context::current()), if any
  kExplicit,  ///< SpanStartOptions::parent (an invalid one means a new trace)
  kRoot,      ///< always a new trace
};

/// Everything known when a span starts. Attributes and links given here are visible to the
/// sampler (the messaging conventions ask for destination, operation and links at start).
struct SpanStartOptions {
  SpanKind kind = SpanKind::kInternal;
  ParentSource parent_source = ParentSource::kAmbient;
  SpanContext parent;  ///< used when parent_source == kExplicit
  ArrayView<Attribute> attributes;
  ArrayView<Link> links;
  Timestamp start_time{};  ///< zero means now
  /// When set, the new span's trace state (e.g. with an updated hop count); otherwise it is
  /// inherited from the parent. Borrowed for the call.
  const TraceState* trace_state = nullptr;
  /// The caller guarantees that no two of `attributes` share a key (e.g. they come from a
  /// fixed template): a recording SDK may then store them without looking for duplicates.
  /// Limits still apply. With duplicate keys and this set, which value is kept is unspecified.
  bool attributes_distinct = false;
};

/// Starts spans. Obtained from a TracerProvider; safe to use from any number of threads.
/// This is the seam where another SDK plugs in: adapters only ever see Tracer and Span.
class Tracer {
 public:
  virtual ~Tracer() = default;
  /// Never throws. When the SDK decides not to record, the returned Span carries a context
  /// (sampled flag clear) and no recorder, and nothing is allocated.
  virtual Span start_span(std::string_view name, const SpanStartOptions& options = {}) noexcept = 0;

  /// Whether start_span(name, options) could return a recording span, judged from the parent
  /// (as options.parent_source resolves it, on the calling thread) and options.links only.
  /// False means no span started with that parent and those links records, whatever its name,
  /// kind and attributes, and its context does not depend on them either: a caller may then
  /// skip building attributes (and anything else only a recording span uses) and call
  /// start_span without them, which still gives the span its context (trace id, new span id,
  /// sampled flag clear) exactly as with them. True is always a safe answer: it is given
  /// whenever the outcome depends on more than the parent and links (e.g. a sampler that looks
  /// at attributes). The default implementation always answers true. Never throws; allocates
  /// nothing.
  virtual bool may_record(const SpanStartOptions& options) const noexcept {
    static_cast<void>(options);
    return true;
  }
};

/// Makes `span`'s context the ambient parent on this thread (keeping the current baggage) for
/// the lifetime of the returned Scope.
Scope make_current(const Span& span) noexcept;

}  // namespace hoptrace
