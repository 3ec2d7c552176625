// Extract B3 from arbitrary headers; whatever is accepted must survive inject -> extract in both
// modes with the same ids and sampling decision.
#include <cstddef>
#include <cstdint>

#include "fuzz_carrier.h"
#include "hoptrace/core/propagation/b3.h"

namespace {
constexpr std::string_view kKeys[] = {"b3",           "x-b3-traceid", "x-b3-spanid",
                                      "x-b3-sampled", "x-b3-flags",   "x-b3-parentspanid",
                                      "B3",           "X-B3-TraceId"};
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hoptrace;
  MemoryCarrier carrier;
  fuzz::fill_carrier(data, size, kKeys, carrier);
  Context in;
  B3Propagator().extract(carrier, in);
  if (!in.span_context.is_valid()) return 0;
  if (!in.span_context.is_remote()) __builtin_trap();
  for (auto mode :
       {B3Propagator::InjectMode::kSingleHeader, B3Propagator::InjectMode::kMultiHeader}) {
    const B3Propagator p(mode);
    MemoryCarrier wire;
    p.inject(in, wire);
    Context out;
    p.extract(wire, out);
    if (out.span_context.trace_id() != in.span_context.trace_id() ||
        out.span_context.span_id() != in.span_context.span_id() ||
        out.span_context.is_sampled() != in.span_context.is_sampled()) {
      __builtin_trap();
    }
  }
  return 0;
}
