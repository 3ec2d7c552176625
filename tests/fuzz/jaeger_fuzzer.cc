// Extract Jaeger from arbitrary headers; an accepted context must survive inject -> extract with
// the same ids and sampling decision, and every baggage value must come back byte for byte.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_carrier.h"
#include "hoptrace/core/propagation/jaeger.h"

namespace {
constexpr std::string_view kKeys[] = {"uber-trace-id", "uberctx-a", "uberctx-b",
                                      "Uber-Trace-Id", "uberctx-",  "uberctx-A b"};
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hoptrace;
  MemoryCarrier carrier;
  fuzz::fill_carrier(data, size, kKeys, carrier);
  const JaegerPropagator p;
  Context in;
  p.extract(carrier, in);
  if (!in.span_context.is_valid() && in.baggage.empty()) return 0;
  MemoryCarrier wire;
  p.inject(in, wire);
  Context out;
  p.extract(wire, out);
  if (out.span_context.is_valid() != in.span_context.is_valid()) __builtin_trap();
  if (in.span_context.is_valid() &&
      (out.span_context.trace_id() != in.span_context.trace_id() ||
       out.span_context.span_id() != in.span_context.span_id() ||
       out.span_context.is_sampled() != in.span_context.is_sampled())) {
    __builtin_trap();
  }
  // The fuzzed keys are lowercase already, so inject's lowercasing keeps them distinct.
  in.baggage.for_each([&](const BaggageEntry& e) {
    const auto v = out.baggage.get(e.key);
    if (!v || *v != e.value) __builtin_trap();
    return true;
  });
  if (out.baggage.size() != in.baggage.size()) __builtin_trap();
  return 0;
}
