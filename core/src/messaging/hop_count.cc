#include "hoptrace/core/messaging/hop_count.h"

#include <charconv>
#include <cstring>

namespace hoptrace::messaging {

std::optional<std::uint32_t> parse_hop_value(std::string_view value) noexcept {
  while (!value.empty()) {
    const std::size_t semicolon = value.find(';');
    const std::string_view entry = value.substr(0, semicolon);
    value = semicolon == std::string_view::npos ? std::string_view() : value.substr(semicolon + 1);
    if (entry.size() < 3 || entry[0] != 'h' || entry[1] != ':') continue;
    const std::string_view digits = entry.substr(2);
    if (digits.size() > 7) return std::nullopt;
    std::uint32_t hops = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      hops = hops * 10 + static_cast<std::uint32_t>(c - '0');
    }
    return hops;
  }
  return std::nullopt;
}

HopValue::HopValue(std::uint32_t hops) noexcept {
  if (hops > kMaxHopCount) hops = kMaxHopCount;
  data_[0] = 'h';
  data_[1] = ':';
  const auto result = std::to_chars(data_ + 2, data_ + sizeof(data_), hops);
  size_ = static_cast<std::size_t>(result.ptr - data_);
}

std::uint32_t hop_count(const TraceState& state) noexcept {
  if (state.empty()) return 0;
  const auto value = state.get(kHopTraceStateKey);
  if (!value) return 0;
  return parse_hop_value(*value).value_or(0);
}

TraceState trace_state_with_hop_count(const TraceState& base, std::uint32_t hops) noexcept {
  const HopValue value(hops);
  try {
    return base.with(kHopTraceStateKey, value.view());
  } catch (...) {
    // Only allocation can fail here; a consumer span with a stale count beats no span.
    return base;
  }
}

}  // namespace hoptrace::messaging
