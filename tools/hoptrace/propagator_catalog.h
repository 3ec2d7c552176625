#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hoptrace/core/propagator.h"

namespace hoptrace::cli {

/// One wire format the CLI can read or write.
struct SelectedFormat {
  /// The OTEL_PROPAGATORS name (`tracecontext`, `b3`, `b3multi`, `jaeger`, `xray`, `baggage`).
  std::string name;
  std::shared_ptr<const TextMapPropagator> propagator;
  /// False for `baggage`, which carries no span context.
  bool carries_span_context = true;
};

/// The names the CLI accepts, in the default order.
const std::vector<std::string_view>& cli_format_names();

/// The formats named in `list` (comma-separated OTEL_PROPAGATORS names, case-insensitive,
/// trimmed, duplicates ignored), in list order. An empty list selects every format. Throws
/// UsageError naming the valid names when a name is unknown.
std::vector<SelectedFormat> select_formats(std::string_view list);

}  // namespace hoptrace::cli
