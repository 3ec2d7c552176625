// Fuzzes TraceState::parse and the mutation rules: a parsed state is its own normal form and
// always within the propagation limits.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hoptrace/core/trace_state.h"

namespace {

void check_limits(const hoptrace::TraceState& ts) {
  if (ts.header().size() > hoptrace::TraceState::kMaxPropagatedLength) __builtin_trap();
  if (ts.size() > hoptrace::TraceState::kMaxMembers) __builtin_trap();
  if (ts.empty() != ts.header().empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using hoptrace::TraceState;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  hoptrace::TraceStateError error = hoptrace::TraceStateError::kNone;
  const TraceState ts = TraceState::parse(input, &error);
  check_limits(ts);
  if (error != hoptrace::TraceStateError::kNone && !ts.empty()) __builtin_trap();
  if (ts.empty()) return 0;

  hoptrace::TraceStateError again_error = hoptrace::TraceStateError::kNone;
  const TraceState again = TraceState::parse(ts.header(), &again_error);
  if (again != ts || again.size() != ts.size() || again_error != hoptrace::TraceStateError::kNone) {
    __builtin_trap();
  }
  std::size_t members = 0;
  ts.for_each([&](std::string_view key, std::string_view value) {
    ++members;
    if (!TraceState::is_valid_key(key) || !TraceState::is_valid_value(value)) __builtin_trap();
    if (ts.get(key) != value) __builtin_trap();  // keys are unique: the first is the only one
    return true;
  });
  if (members != ts.size()) __builtin_trap();

  const TraceState added = ts.with("fuzz@vendor", "x");
  check_limits(added);
  if (added.get("fuzz@vendor") != std::string_view("x")) __builtin_trap();
  if (added.without("fuzz@vendor").get("fuzz@vendor").has_value()) __builtin_trap();
  return 0;
}
