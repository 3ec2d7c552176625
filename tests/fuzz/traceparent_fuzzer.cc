// Fuzzes TraceContextPropagator::extract: the input up to the first newline is the traceparent,
// the rest the tracestate; both carrier rules are exercised. A valid result must survive
// inject + extract unchanged (with undefined flag bits cleared).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hoptrace/core/memory_carrier.h"
#include "hoptrace/core/propagation/trace_context.h"

namespace {

void check(std::string_view traceparent, std::string_view tracestate, hoptrace::RepeatedKeys rule,
           bool duplicate_tracestate) {
  using hoptrace::Context;
  using hoptrace::MemoryCarrier;
  const hoptrace::TraceContextPropagator propagator;

  MemoryCarrier in(rule);
  in.add("traceparent", traceparent);
  in.add("tracestate", tracestate);
  if (duplicate_tracestate) in.add("tracestate", tracestate);
  Context extracted;
  propagator.extract(in, extracted);
  const hoptrace::SpanContext& sc = extracted.span_context;
  if (!sc.is_valid()) {
    if (!sc.trace_state().empty()) __builtin_trap();
    return;
  }
  if (!sc.is_remote()) __builtin_trap();
  if (sc.trace_state().header().size() > hoptrace::TraceState::kMaxPropagatedLength) {
    __builtin_trap();
  }

  MemoryCarrier out(rule);
  propagator.inject(extracted, out);
  const auto written = out.get("traceparent");
  if (!written || written->size() != hoptrace::TraceContextPropagator::kTraceParentLength) {
    __builtin_trap();
  }
  Context again;
  propagator.extract(out, again);
  const hoptrace::SpanContext& sc2 = again.span_context;
  if (!sc2.is_valid() || sc2.trace_id() != sc.trace_id() || sc2.span_id() != sc.span_id() ||
      sc2.trace_flags() != sc.trace_flags().for_wire() || sc2.trace_state() != sc.trace_state()) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view traceparent = input.substr(0, newline);
  const std::string_view tracestate =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  check(traceparent, tracestate, hoptrace::RepeatedKeys::kLastWins, false);
  check(traceparent, tracestate, hoptrace::RepeatedKeys::kHttpFieldLines, false);
  check(traceparent, tracestate, hoptrace::RepeatedKeys::kHttpFieldLines, true);
  return 0;
}
