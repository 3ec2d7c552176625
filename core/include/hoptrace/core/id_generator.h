#pragma once

#include "hoptrace/core/ids.h"

namespace hoptrace {

/// Makes trace and span ids. The SDK calls it once per span, so implementations must be cheap
/// and safe to call from any number of threads at once.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  virtual TraceId new_trace_id() noexcept = 0;
  virtual SpanId new_span_id() noexcept = 0;
  /// True when new trace ids meet the W3C Level 2 random rule (right-most 7 bytes uniformly
  /// random), so new traces may set TraceFlags::kRandomTraceId.
  virtual bool trace_ids_are_random() const noexcept = 0;
};

/// The default generator: a per-thread pseudo-random generator seeded from the OS, no lock.
/// Trace ids meet the W3C Level 2 random rule.
IdGenerator& default_id_generator() noexcept;

/// Shorthands for default_id_generator().
TraceId generate_trace_id() noexcept;
SpanId generate_span_id() noexcept;

}  // namespace hoptrace
