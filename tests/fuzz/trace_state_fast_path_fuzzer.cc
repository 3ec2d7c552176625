// Differential fuzzing of the tracestate fast path: whatever the normal-form parser accepts, the
// general parser must keep verbatim without error, and TraceState::parse must always give what
// the general parser gives.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hoptrace/core/trace_state.h"
#include "trace_state_data.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using hoptrace::TraceState;
  using hoptrace::TraceStateError;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  TraceStateError general_error = TraceStateError::kNone;
  const TraceState general = hoptrace::detail::parse_trace_state_general(input, &general_error);
  TraceStateError error = TraceStateError::kNone;
  const TraceState parsed = TraceState::parse(input, &error);
  if (parsed != general || parsed.size() != general.size() || error != general_error) {
    __builtin_trap();
  }
  TraceState fast;
  if (hoptrace::detail::parse_trace_state_normal_form(input, fast)) {
    if (general_error != TraceStateError::kNone || general.header() != input || fast != general ||
        fast.size() != general.size()) {
      __builtin_trap();
    }
  } else if (!fast.empty()) {
    __builtin_trap();
  }
  return 0;
}
