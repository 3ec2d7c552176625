#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "header_lines.h"
#include "hoptrace/core/context.h"
#include "hoptrace/core/memory_carrier.h"
#include "hoptrace/core/propagation/b3.h"
#include "propagator_catalog.h"
#include "rejection_capture.h"

namespace hoptrace::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kDecodeHelp = R"help(Usage: hoptrace decode [OPTIONS] < HEADERS

Reads header lines (`name: value`, one per line) on standard input and prints the trace
context they carry as one JSON object. Header names are case-insensitive; spaces and tabs
around values are trimmed; CRLF and blank lines are fine; repeated names are read with HTTP
field semantics (tracestate and baggage lines are joined, two traceparent lines are invalid).

The formats are tried in order and the first that yields a valid context is reported:
  {"valid":true,"format":"tracecontext","trace_id":"<32 hex>","span_id":"<16 hex>",
   "sampled":true,"trace_flags":"01","tracestate":"k=v","baggage":{"k":"v"}}
`format` is tracecontext, b3 (single header), b3multi (x-b3-* headers), jaeger or xray.
X-Ray pairs other than Root/Parent/Sampled appear as "xray_passthrough". Other formats that
also carry a context are listed in "also_found"; fields that were dropped or ignored (an
invalid tracestate, a bad baggage member, a losing malformed header) in "warnings".
When no valid context is found:
  {"valid":false,"error":"traceparent: trace-id is all zeros", ...}

Options:
  --propagators LIST  comma-separated formats to try, in order (OTEL_PROPAGATORS names):
                      tracecontext, b3, b3multi, jaeger, xray, baggage.
                      Default: all of them (b3 and b3multi read the same headers).
  --compact           print the JSON on one line
  -h, --help          show this help

Exit status: 0 valid context, 1 none found (or the input is not header lines), 2 usage error.

Examples:
  echo 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' | hoptrace decode
  kcat -C -b localhost:9092 -t orders -c 1 -f '%h\n' | tr ',' '\n' | tr '=' ':' | hoptrace decode
  printf 'b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1\n' | hoptrace decode --propagators b3
  hoptrace decode --propagators "$OTEL_PROPAGATORS" < headers.txt
)help";

struct FormatResult {
  std::string name;
  Context context;
  std::vector<Rejection> rejections;
  bool fields_present = false;
};

std::string flags_hex(TraceFlags flags) {
  static constexpr char kDigits[] = "0123456789abcdef";
  return {kDigits[flags.bits() >> 4], kDigits[flags.bits() & 0x0F]};
}

Json baggage_json(const Baggage& baggage) {
  Json object = Json::object();
  baggage.for_each([&](const BaggageEntry& entry) {
    object[entry.key] = entry.value;
    return true;
  });
  return object;
}

Json baggage_properties_json(const Baggage& baggage) {
  Json object = Json::object();
  baggage.for_each([&](const BaggageEntry& entry) {
    if (!entry.properties.empty()) object[entry.key] = entry.properties;
    return true;
  });
  return object;
}

bool any_field_present(const MemoryCarrier& carrier, const TextMapPropagator& propagator) {
  FieldSet fields;
  propagator.fields(fields);
  bool present = false;
  carrier.for_each_key([&](std::string_view key) {
    present = fields.matches(key);
    return !present;
  });
  return present;
}

// The B3 propagator reads the single header first and falls back to the x-b3-* headers; the
// report names the form the context actually came from.
std::string b3_form(const MemoryCarrier& carrier) {
  MemoryCarrier single(RepeatedKeys::kHttpFieldLines);
  carrier.for_each_value(B3Propagator::kSingleHeader, [&](std::string_view value) {
    single.add(B3Propagator::kSingleHeader, value);
    return true;
  });
  Context context;
  capture_rejections(single, [&] { B3Propagator().extract(single, context); });
  return context.span_context.is_valid() ? "b3" : "b3multi";
}

std::string main_fields(const std::string& format) {
  if (format == "tracecontext") return "traceparent";
  if (format == "b3" || format == "b3multi") return "b3 or x-b3-traceid/x-b3-spanid";
  if (format == "jaeger") return "uber-trace-id";
  if (format == "xray") return "x-amzn-trace-id";
  return "baggage";
}

std::string input_names(const std::vector<HeaderLine>& lines) {
  std::vector<std::string> names;
  for (const HeaderLine& line : lines) {
    if (std::find(names.begin(), names.end(), line.name) == names.end()) names.push_back(line.name);
  }
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < 12; ++i) text += (i > 0 ? ", " : "") + names[i];
  if (names.size() > 12) text += ", ...";
  return text;
}

void print(const Json& report, bool compact) {
  std::cout << report.dump(compact ? -1 : 2, ' ', false, Json::error_handler_t::replace) << '\n';
}

// What the selected formats found in the input.
struct Extraction {
  std::vector<FormatResult> results;  ///< span-context formats, in the order tried
  Baggage baggage;                    ///< W3C baggage, with Jaeger's uberctx-* merged over it
  std::vector<std::string> baggage_warnings;
  bool baggage_selected = false;

  // The first format in order that found a valid context.
  const FormatResult* winner() const {
    for (const FormatResult& result : results) {
      if (result.context.span_context.is_valid()) return &result;
    }
    return nullptr;
  }
  std::vector<std::string> tried() const {
    std::vector<std::string> names;
    for (const FormatResult& result : results) {
      names.push_back(result.name == "b3multi" ? "b3" : result.name);
    }
    return names;
  }
};

void merge_baggage(const Baggage& from, Baggage& into) {
  from.for_each([&](const BaggageEntry& entry) {
    into = into.with(entry.key, entry.value, entry.properties);
    return true;
  });
}

Extraction extract_all(const std::vector<SelectedFormat>& formats, const MemoryCarrier& carrier) {
  Extraction extraction;
  bool b3_tried = false;
  for (const SelectedFormat& format : formats) {
    if (!format.carries_span_context) {
      extraction.baggage_selected = true;
      Context context;
      const auto rejections =
          capture_rejections(carrier, [&] { format.propagator->extract(carrier, context); });
      for (const Rejection& r : rejections) extraction.baggage_warnings.push_back(explain(r));
      merge_baggage(context.baggage, extraction.baggage);
      continue;
    }
    // b3 and b3multi extract the same way (single header first, then multi): try them once.
    const bool is_b3 = format.name == "b3" || format.name == "b3multi";
    if (is_b3 && b3_tried) continue;
    b3_tried = b3_tried || is_b3;
    FormatResult result;
    result.rejections =
        capture_rejections(carrier, [&] { format.propagator->extract(carrier, result.context); });
    result.fields_present = any_field_present(carrier, *format.propagator);
    result.name = format.name;
    if (is_b3) result.name = result.context.span_context.is_valid() ? b3_form(carrier) : "b3";
    // Jaeger carries baggage too (uberctx-*); a composite would merge it over W3C baggage.
    merge_baggage(result.context.baggage, extraction.baggage);
    extraction.results.push_back(std::move(result));
  }
  return extraction;
}

void add_span_context(const FormatResult& winner, Json& report) {
  const SpanContext& sc = winner.context.span_context;
  report["valid"] = true;
  report["format"] = winner.name;
  report["trace_id"] = sc.trace_id().to_hex();
  report["span_id"] = sc.span_id().to_hex();
  report["sampled"] = sc.is_sampled();
  report["trace_flags"] = flags_hex(sc.trace_flags());
  if (winner.name == "tracecontext") report["tracestate"] = std::string(sc.trace_state().header());
  if (winner.context.xray_passthrough && !winner.context.xray_passthrough->empty()) {
    report["xray_passthrough"] = *winner.context.xray_passthrough;
  }
}

// Why nothing was found: the rejections if there were any, else which headers were looked for
// and which the input has.
std::string no_context_error(const Extraction& extraction, const std::vector<HeaderLine>& lines) {
  std::string error;
  for (const FormatResult& result : extraction.results) {
    for (const Rejection& r : result.rejections) error += (error.empty() ? "" : "; ") + explain(r);
  }
  if (!error.empty()) return error;
  std::string looked_for;
  bool some_present = false;
  for (const FormatResult& result : extraction.results) {
    if (!looked_for.empty()) looked_for += ", ";
    looked_for += result.name + " (" + main_fields(result.name) + ")";
    some_present = some_present || result.fields_present;
  }
  if (lines.empty()) return "no trace context found: the input is empty; looked for " + looked_for;
  if (some_present) {
    return "no trace context found: the input has " + input_names(lines) +
           " but no complete context (a b3 sampling decision alone, a tracestate without "
           "traceparent, or baggage only carry no trace ids); looked for " +
           looked_for;
  }
  return "no trace context found: looked for " + looked_for +
         "; the input has none of these headers (it has: " + input_names(lines) + ")";
}

// The other formats next to the one reported: those that also found a context, and the
// problems of those that did not.
void add_other_formats(const Extraction& extraction, const FormatResult& winner, Json& report,
                       std::vector<std::string>& warnings) {
  Json also = Json::array();
  for (const FormatResult& result : extraction.results) {
    if (&result == &winner) continue;
    if (!result.context.span_context.is_valid()) {
      for (const Rejection& r : result.rejections) {
        warnings.push_back(explain(r) + " (ignored: " + winner.name + " was used)");
      }
      continue;
    }
    const SpanContext& sc = result.context.span_context;
    const bool same_trace = sc.trace_id() == winner.context.span_context.trace_id();
    also.push_back(Json{{"format", result.name},
                        {"trace_id", sc.trace_id().to_hex()},
                        {"span_id", sc.span_id().to_hex()},
                        {"sampled", sc.is_sampled()},
                        {"same_trace", same_trace}});
    if (!same_trace) {
      warnings.push_back(result.name + " carries a different trace (" + sc.trace_id().to_hex() +
                         ") than " + winner.name +
                         "; a service reads the one its OTEL_PROPAGATORS lists last");
    }
  }
  if (!also.empty()) report["also_found"] = also;
}

Json build_report(const Extraction& extraction, const std::vector<HeaderLine>& lines) {
  Json report;
  std::vector<std::string> warnings;
  const FormatResult* winner = extraction.winner();
  const Baggage& baggage = extraction.baggage;
  if (winner != nullptr) {
    add_span_context(*winner, report);
    for (const Rejection& r : winner->rejections) warnings.push_back(explain(r));
  } else if (extraction.results.empty()) {
    // Only baggage was asked for: it is what there is to validate.
    report["valid"] = !baggage.empty();
    if (baggage.empty()) {
      report["error"] = lines.empty()
                            ? std::string("no baggage header: the input is empty")
                            : "no baggage found (the input has: " + input_names(lines) + ")";
    } else {
      report["format"] = "baggage";
    }
  } else {
    report["valid"] = false;
    report["error"] = no_context_error(extraction, lines);
    report["tried"] = extraction.tried();
  }
  if (winner != nullptr || !baggage.empty() || extraction.baggage_selected) {
    report["baggage"] = baggage_json(baggage);
    Json properties = baggage_properties_json(baggage);
    if (!properties.empty()) report["baggage_properties"] = properties;
  }
  if (winner != nullptr) add_other_formats(extraction, *winner, report, warnings);
  warnings.insert(warnings.end(), extraction.baggage_warnings.begin(),
                  extraction.baggage_warnings.end());
  if (!warnings.empty()) report["warnings"] = warnings;
  return report;
}

}  // namespace

ExitCode run_decode(const std::vector<std::string>& args) {
  std::string list;
  bool compact = false;
  ArgCursor cursor(args);
  while (!cursor.done()) {
    if (cursor.take_flag({"-h", "--help"})) {
      std::cout << kDecodeHelp;
      return ExitCode::kOk;
    }
    if (cursor.take_option({"--propagators"}, list)) {
      if (split_list(list).empty()) throw UsageError("--propagators needs at least one name");
    } else if (cursor.take_flag({"--compact"})) {
      compact = true;
    } else if (cursor.next_is_option()) {
      throw UsageError("unknown option '" + cursor.peek() + "'");
    } else {
      throw UsageError("unexpected argument '" + cursor.peek() +
                       "'; decode reads header lines from standard input");
    }
  }
  const std::vector<SelectedFormat> formats = select_formats(list);

  std::vector<HeaderLine> lines;
  if (const auto error = read_header_lines(std::cin, lines)) {
    print(Json{{"valid", false}, {"error", error->message}}, compact);
    return ExitCode::kFailure;
  }
  MemoryCarrier carrier(RepeatedKeys::kHttpFieldLines);
  for (const HeaderLine& line : lines) carrier.add(line.name, line.value);

  const Json report = build_report(extract_all(formats, carrier), lines);
  print(report, compact);
  return report["valid"].get<bool>() ? ExitCode::kOk : ExitCode::kFailure;
}

}  // namespace hoptrace::cli
