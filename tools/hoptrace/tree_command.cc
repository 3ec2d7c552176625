#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "otlp_json_reader.h"
#include "span_forest.h"
#include "waterfall_renderer.h"

namespace hoptrace::cli {
namespace {

constexpr const char* kTreeHelp = R"help(Usage: hoptrace tree [OPTIONS] FILE...

Draws the spans in FILE (OTLP JSON lines: one ExportTraceServiceRequest per line, as the
OpenTelemetry Collector's file exporter writes them) as one indented waterfall per trace.
`-` reads standard input. Spans from all files are merged, so one trace may span files.

Each span line shows: name (indented under its parent), kind, service (resource
service.name), duration, a time bar scaled to the whole trace, and marks:
  ✗ ERROR: msg      the span's status code is ERROR (2)
  ⚠ orphan          its parent is not in the input; drawn at the top of its trace
Lines under a span show its links, resolved across traces:
  ↪ link → process orders [trace 4bf92f35…, span 00f067aa…]
  ↪ link → (not in input) [trace …, span …]
  ↩ linked from …   another span links to this one

Traces are sorted by start time, siblings by start time; the output depends only on the
input. A malformed line is reported on stderr with its line number and skipped; a summary
line ends the output.

Options:
  --width N     cells in the time bar (default 40; 0 leaves the bars out)
  --ascii       plain ASCII instead of box-drawing characters and arrows
  -h, --help    show this help

Exit status: 0 when spans were drawn, 1 when no span could be read or a file could not be
opened, 2 on a usage error.

Example:
  otelcol --config file-exporter.yaml   # writes /tmp/traces.jsonl
  hoptrace tree /tmp/traces.jsonl
)help";

std::size_t parse_width(const std::string& text) {
  std::size_t value = 0;
  if (text.empty() || text.size() > 4) throw UsageError("--width needs a number from 0 to 1000");
  for (char c : text) {
    if (c < '0' || c > '9') throw UsageError("--width needs a number from 0 to 1000");
    value = value * 10U + static_cast<std::size_t>(c - '0');
  }
  if (value > 1000U) throw UsageError("--width needs a number from 0 to 1000");
  return value;
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

ExitCode run_tree(const std::vector<std::string>& args) {
  WaterfallOptions options;
  std::vector<std::string> files;
  ArgCursor cursor(args);
  bool options_done = false;
  while (!cursor.done()) {
    std::string value;
    if (!options_done && cursor.take_flag({"-h", "--help"})) {
      std::cout << kTreeHelp;
      return ExitCode::kOk;
    }
    if (!options_done && cursor.take_end_of_options()) {
      options_done = true;
    } else if (!options_done && cursor.take_option({"--width"}, value)) {
      options.bar_width = parse_width(value);
    } else if (!options_done && cursor.take_flag({"--ascii"})) {
      options.ascii = true;
    } else if (!options_done && cursor.next_is_option()) {
      throw UsageError("unknown option '" + cursor.peek() + "'");
    } else {
      files.push_back(cursor.take());
    }
  }
  if (files.empty()) throw UsageError("no input: give one or more FILEs, or - for stdin");

  OtlpJsonReader reader([](const std::string& message) { std::cerr << message << '\n'; });
  std::vector<SpanRecord> spans;
  bool all_opened = true;
  for (const std::string& file : files) {
    if (file == "-") {
      reader.read(std::cin, "<stdin>", spans);
      continue;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "hoptrace tree: cannot open " << file << ": " << std::strerror(errno) << '\n';
      all_opened = false;
      continue;
    }
    reader.read(in, file, spans);
  }

  const SpanForest forest(std::move(spans));
  render_waterfall(forest, options, std::cout);

  const OtlpReadSummary& summary = reader.summary();
  if (!forest.traces().empty()) std::cout << '\n';
  std::cout << plural(forest.traces().size(), "trace", "traces") << ", "
            << plural(forest.spans().size(), "span", "spans") << " from "
            << plural(summary.lines, "line", "lines");
  std::vector<std::string> skipped;
  if (summary.malformed_lines > 0) {
    skipped.push_back(plural(summary.malformed_lines, "malformed line", "malformed lines"));
  }
  if (summary.skipped_spans > 0) {
    skipped.push_back(plural(summary.skipped_spans, "invalid span", "invalid spans"));
  }
  if (summary.skipped_links > 0) {
    skipped.push_back(plural(summary.skipped_links, "invalid link", "invalid links"));
  }
  if (forest.duplicates() > 0) {
    skipped.push_back(plural(forest.duplicates(), "duplicate span", "duplicate spans"));
  }
  for (std::size_t i = 0; i < skipped.size(); ++i) {
    std::cout << (i == 0 ? "; skipped " : ", ") << skipped[i];
  }
  std::cout << '\n';

  if (forest.spans().empty()) {
    std::cerr << "hoptrace tree: no span could be read"
              << (summary.lines == 0 ? " (the input is empty)" : "") << '\n';
    return ExitCode::kFailure;
  }
  return all_opened ? ExitCode::kOk : ExitCode::kFailure;
}

}  // namespace hoptrace::cli
