#pragma once

#include <cstddef>
#include <string>

#include "hoptrace/core/propagation/stats.h"

namespace hoptrace::cli {

/// One field a propagator rejected while decoding, with the value it rejected.
struct Rejection {
  PropagationFormat format = PropagationFormat::kTraceContext;
  RejectReason reason = RejectReason::kMalformed;
  /// The header name the propagator reported (lowercase).
  std::string field;
  /// The whole value as received (several lines of a list field joined with `,`); empty when
  /// the field is missing.
  std::string value;
  /// How many times the field appeared in the input.
  std::size_t occurrences = 0;
};

/// A sentence saying what was wrong and, where it helps, what was expected, prefixed with the
/// header name: `traceparent: trace-id is all zeros`. The propagators report a reason class;
/// this looks at the value again to name the exact problem.
std::string explain(const Rejection& rejection);

}  // namespace hoptrace::cli
