// Uses the installed otlp headers and library: builds an exporter (libcurl), encodes a span
// (the hand-written protobuf encoder) and prints the resolved endpoint.
#include <cstdio>
#include <string>

#include "hoptrace/core/sdk/span_data.h"
#include "hoptrace/otlp/otlp_http_exporter.h"
#include "hoptrace/otlp/otlp_protobuf.h"

int main() {
  hoptrace::otlp::OtlpHttpExporterOptions options;
  options.endpoint = "http://127.0.0.1:4318/v1/traces";
  options.compression = hoptrace::otlp::OtlpCompression::kGzip;
  hoptrace::otlp::OtlpHttpExporter exporter(options);
  hoptrace::sdk::SpanData span;
  span.name = "installed";
  const hoptrace::sdk::SpanData* spans[] = {&span};
  std::string body;
  hoptrace::otlp::encode_otlp_protobuf(spans, body);
  if (body.empty()) return 1;
  std::printf("%s\n", exporter.settings().url.c_str());
  return 0;
}
