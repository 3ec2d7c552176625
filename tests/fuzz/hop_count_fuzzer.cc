// Fuzzes what the messaging layer reads from the wire: the hop counter in a received tracestate
// (parse_hop_value, hop_count over a parsed state) and the UTF-8 rules used for Kafka keys and
// span-name truncation. Invariants: counts stay within kMaxHopCount, a formatted count parses
// back, a cut never exceeds its limit and never splits a well-formed sequence.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hoptrace/core/messaging/hop_count.h"
#include "hoptrace/core/messaging/span_name.h"
#include "hoptrace/core/messaging/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace msg = hoptrace::messaging;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (const auto hops = msg::parse_hop_value(input)) {
    if (*hops > msg::kMaxHopCount) __builtin_trap();
    if (msg::parse_hop_value(msg::HopValue(*hops).view()) != hops) __builtin_trap();
  }
  const auto state = hoptrace::TraceState::parse(input);
  if (msg::hop_count(state) > msg::kMaxHopCount) __builtin_trap();
  const std::uint32_t incremented =
      msg::hop_count(state) < msg::kMaxHopCount ? msg::hop_count(state) + 1 : msg::kMaxHopCount;
  const auto next = msg::trace_state_with_hop_count(state, incremented);
  if (msg::hop_count(next) != incremented) __builtin_trap();

  const bool valid = msg::is_valid_utf8(input);
  for (std::size_t limit : {std::size_t{0}, std::size_t{1}, size / 2, size}) {
    const std::size_t cut = msg::utf8_prefix_length(input, limit);
    if (cut > limit) __builtin_trap();
    if (valid && !msg::is_valid_utf8(input.substr(0, cut))) __builtin_trap();
  }
  msg::Destination destination;
  destination.name = input;
  const auto name = msg::SpanName::make("process", destination);
  if (name.size() > msg::SpanName::kCapacity) __builtin_trap();
  if (valid && !msg::is_valid_utf8(name.view())) __builtin_trap();
  return 0;
}
