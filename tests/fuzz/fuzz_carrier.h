#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hoptrace/core/memory_carrier.h"

namespace hoptrace::fuzz {

/// Fills `carrier` from fuzz input: `\n`-separated lines, each line's first byte choosing one of
/// `keys` (mod its size) and the rest being the value. Repeated keys are kept, as on the wire.
template <std::size_t N>
void fill_carrier(const std::uint8_t* data, std::size_t size, const std::string_view (&keys)[N],
                  MemoryCarrier& carrier) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (!input.empty()) {
    const std::size_t end = input.find('\n');
    const std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    if (line.empty()) continue;
    carrier.add(keys[static_cast<unsigned char>(line[0]) % N], line.substr(1));
  }
}

}  // namespace hoptrace::fuzz
