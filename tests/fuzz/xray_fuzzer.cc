// Extract X-Ray from arbitrary headers; an accepted context must survive inject -> extract with
// the same ids, sampling decision and passthrough pairs.
#include <cstddef>
#include <cstdint>

#include "fuzz_carrier.h"
#include "hoptrace/core/propagation/xray.h"

namespace {
constexpr std::string_view kKeys[] = {"x-amzn-trace-id", "X-Amzn-Trace-Id"};
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hoptrace;
  MemoryCarrier carrier;
  fuzz::fill_carrier(data, size, kKeys, carrier);
  const XRayPropagator p;
  Context in;
  p.extract(carrier, in);
  if (!in.span_context.is_valid()) {
    if (in.xray_passthrough) __builtin_trap();
    return 0;
  }
  MemoryCarrier wire;
  p.inject(in, wire);
  Context out;
  p.extract(wire, out);
  if (out.span_context.trace_id() != in.span_context.trace_id() ||
      out.span_context.span_id() != in.span_context.span_id() ||
      out.span_context.is_sampled() != in.span_context.is_sampled()) {
    __builtin_trap();
  }
  const bool in_has = in.xray_passthrough && !in.xray_passthrough->empty();
  const bool out_has = out.xray_passthrough && !out.xray_passthrough->empty();
  if (in_has != out_has || (in_has && *in.xray_passthrough != *out.xray_passthrough)) {
    __builtin_trap();
  }
  return 0;
}
