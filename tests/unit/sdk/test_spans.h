#pragma once

// Helpers for SDK export tests: hand-built SpanData.

#include <memory>
#include <string>
#include <utility>

#include "hoptrace/core/sdk/span_data.h"

namespace hoptrace::sdk::testing {

inline constexpr std::size_t kNoLimit = std::size_t{1} << 20;

/// A finished span with distinct ids derived from `n`.
inline std::unique_ptr<SpanData> make_span(std::string name, std::uint64_t n = 1) {
  auto span = std::make_unique<SpanData>();
  span->context = SpanContext(TraceId::from_u64(0x0102030405060708ull, n + 1),
                              SpanId::from_u64(n + 1), TraceFlags(TraceFlags::kSampled), false);
  span->name = std::move(name);
  span->kind = SpanKind::kProducer;
  span->start_time = Timestamp(std::chrono::nanoseconds(1700000000000000000ll));
  span->end_time = Timestamp(std::chrono::nanoseconds(1700000000000001234ll));
  return span;
}

}  // namespace hoptrace::sdk::testing
