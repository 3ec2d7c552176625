// Injects a context into RdKafka::Headers through the installed C++ carrier and prints the
// traceparent it wrote.
#include <cstdio>
#include <memory>
#include <string>

#include "hoptrace/core/propagation/trace_context.h"
#include "hoptrace/kafka/cpp_headers_carrier.h"

int main() {
  std::unique_ptr<RdKafka::Headers> headers(RdKafka::Headers::create());
  hoptrace::kafka::CppHeadersWriter writer(*headers);
  const hoptrace::Context context(hoptrace::SpanContext(
      *hoptrace::TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736"),
      *hoptrace::SpanId::from_hex("00f067aa0ba902b7"), hoptrace::TraceFlags(1), false));
  hoptrace::TraceContextPropagator().inject(context, writer);
  const RdKafka::Headers::Header header = headers->get_last("traceparent");
  std::printf("%.*s\n", static_cast<int>(header.value_size()),
              static_cast<const char*>(header.value()));
  return 0;
}
