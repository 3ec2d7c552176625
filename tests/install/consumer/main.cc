// Uses the installed headers and library: parses a traceparent and prints the trace id.
#include <cstdio>

#include "hoptrace/core/ids.h"

int main() {
  auto id = hoptrace::TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  if (!id || !id->is_valid()) return 1;
  std::printf("%s\n", id->to_hex().c_str());
  return 0;
}
