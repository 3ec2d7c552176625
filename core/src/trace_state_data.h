#pragma once

#include <cstddef>
#include <cstdint>

#include "hoptrace/core/trace_state.h"

namespace hoptrace::detail {

// The normalised header (`k1=v1,k2=v2`, never longer than kMaxPropagatedLength) in a fixed
// buffer, so a parsed tracestate costs exactly one allocation (make_shared of this struct) and
// header() is a view of it. Members are found by scanning: at most 32 short ones.
struct TraceStateData {
  // Leaves the buffer uninitialised on purpose: make_shared would otherwise zero 512 bytes that
  // are overwritten right away.
  TraceStateData() noexcept {}  // NOLINT(modernize-use-equals-default)

  std::uint16_t length = 0;
  std::uint8_t members = 0;
  char header[TraceState::kMaxPropagatedLength];
};

}  // namespace hoptrace::detail
