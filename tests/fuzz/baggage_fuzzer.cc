// Fuzzes Baggage::parse and serialize: parse -> serialize -> parse is a fixed point, output stays
// within the caps and never repeats a key.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "hoptrace/core/baggage.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using hoptrace::Baggage;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const Baggage first = Baggage::parse(input);
  const std::string once = first.to_header();
  if (once.size() > Baggage::kMaxTotalBytes) __builtin_trap();
  if (first.empty() != once.empty()) __builtin_trap();

  hoptrace::BaggageError error = hoptrace::BaggageError::kNone;
  const Baggage second = Baggage::parse(once, &error);
  if (error != hoptrace::BaggageError::kNone) __builtin_trap();
  if (second.size() != first.size() || second.to_header() != once) __builtin_trap();

  std::set<std::string> keys;
  bool same = true;
  first.for_each([&](const hoptrace::BaggageEntry& e) {
    if (!keys.insert(e.key).second) __builtin_trap();
    same = same && second.get(e.key) == std::string_view(e.value);
    return true;
  });
  if (!same) __builtin_trap();

  // The view accessor sees exactly what the owning one does.
  std::size_t index = 0;
  first.for_each_view([&](std::string_view key, std::string_view value, std::string_view) {
    if (first.get(key) != value) __builtin_trap();
    ++index;
    return true;
  });
  if (index != first.size()) __builtin_trap();
  return 0;
}
