#pragma once

#include <cstddef>
#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "span_record.h"

namespace hoptrace::cli {

/// What an OtlpJsonReader accepted and skipped, over every stream it read.
struct OtlpReadSummary {
  std::size_t lines = 0;            ///< non-blank lines seen
  std::size_t malformed_lines = 0;  ///< lines skipped whole (bad JSON, not an OTLP request)
  std::size_t spans = 0;            ///< spans read
  std::size_t skipped_spans = 0;    ///< spans skipped for a bad or missing id
  std::size_t skipped_links = 0;    ///< links dropped for a bad id (their span is kept)
};

/// Reads OTLP JSON lines: one `ExportTraceServiceRequest` JSON object per line, as the
/// OpenTelemetry Collector's file exporter writes them (spec.md §8.2).
///
/// Lenient where it costs nothing: ids in hex of either case (base64 too, as generic proto3
/// JSON writers emit), 64-bit numbers as strings or numbers, enums as numbers or names, the
/// pre-1.0 `instrumentationLibrarySpans` key, unknown fields ignored. Never throws on input: a
/// line that is not JSON or not an OTLP request is reported and skipped whole; a span without
/// a valid trace or span id is reported and skipped alone.
class OtlpJsonReader {
 public:
  /// `report` receives one message per problem, prefixed with `source:line:`.
  explicit OtlpJsonReader(std::function<void(const std::string&)> report)
      : report_(std::move(report)) {}

  /// Reads `in` to its end, appending the spans it holds to `out`. `source` names the stream
  /// in messages (a file name, or `<stdin>`).
  void read(std::istream& in, const std::string& source, std::vector<SpanRecord>& out);

  const OtlpReadSummary& summary() const noexcept { return summary_; }

 private:
  void read_line(const std::string& line, const std::string& where, std::vector<SpanRecord>& out);

  std::function<void(const std::string&)> report_;
  OtlpReadSummary summary_;
};

}  // namespace hoptrace::cli
