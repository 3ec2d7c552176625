#include "rejection_capture.h"

#include <string>

#include "hoptrace/core/propagation/stats.h"

namespace hoptrace::cli {
namespace {

// The handler is a plain function pointer, so the capture target is a global; the tool is
// single-threaded.
std::vector<Rejection>* g_sink = nullptr;

void collect(const PropagationDiagnostic& diagnostic) noexcept {
  if (g_sink == nullptr) return;
  try {
    Rejection r;
    r.format = diagnostic.format;
    r.reason = diagnostic.reason;
    r.field = std::string(diagnostic.field);
    r.value = std::string(diagnostic.value);
    g_sink->push_back(std::move(r));
  } catch (...) {  // out of memory: the counters still have it
  }
}

std::string main_field(PropagationFormat format) {
  switch (format) {
    case PropagationFormat::kTraceContext:
      return "traceparent";
    case PropagationFormat::kBaggage:
      return "baggage";
    case PropagationFormat::kB3:
      return "b3";
    case PropagationFormat::kB3Multi:
      return "x-b3-traceid";
    case PropagationFormat::kJaeger:
      return "uber-trace-id";
    case PropagationFormat::kXRay:
      return "x-amzn-trace-id";
    case PropagationFormat::kCount_:
      break;
  }
  return "?";
}

// List-valued fields are joined, as the propagators read them on an HTTP carrier; the others
// are read from their first line.
void fill_from_carrier(const CarrierReader& carrier, Rejection& r) {
  const bool is_list = r.field == "tracestate" || r.field == "baggage";
  std::string joined;
  std::size_t count = 0;
  carrier.for_each_value(r.field, [&](std::string_view value) {
    if (count == 0 || is_list) {
      if (count > 0) joined += ',';
      joined.append(value.data(), value.size());
    }
    ++count;
    return true;
  });
  r.occurrences = count;
  if (count > 0) r.value = std::move(joined);
}

}  // namespace

std::vector<Rejection> capture_rejections(const CarrierReader& carrier,
                                          detail::FunctionRef<void()> action) {
  std::vector<Rejection> seen;
  const PropagationStats before = propagation_stats();
  g_sink = &seen;
  set_propagation_diagnostic_handler(&collect);
  action();
  set_propagation_diagnostic_handler(nullptr);
  g_sink = nullptr;
  const PropagationStats after = propagation_stats();

  for (std::size_t f = 0; f < PropagationStats::kFormats; ++f) {
    for (std::size_t reason = 0; reason < PropagationStats::kReasons; ++reason) {
      const auto format = static_cast<PropagationFormat>(f);
      const auto why = static_cast<RejectReason>(reason);
      std::uint64_t missing = after.count(format, why) - before.count(format, why);
      for (const Rejection& r : seen) {
        if (r.format == format && r.reason == why && missing > 0) --missing;
      }
      for (; missing > 0; --missing) seen.push_back({format, why, main_field(format), {}, 0});
    }
  }
  for (Rejection& r : seen) fill_from_carrier(carrier, r);
  return seen;
}

}  // namespace hoptrace::cli
