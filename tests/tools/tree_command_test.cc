#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace hoptrace::test {
namespace {

using nlohmann::json;

// Index of the first output line containing `needle`, or -1.
int find_line(const std::vector<std::string>& lines, const std::string& needle) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(needle) != std::string::npos) return static_cast<int>(i);
  }
  return -1;
}

// Index of the first output line starting with `prefix`, or -1.
int find_line_starting(const std::vector<std::string>& lines, const std::string& prefix) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind(prefix, 0) == 0) return static_cast<int>(i);
  }
  return -1;
}

std::string line_with(const std::vector<std::string>& lines, const std::string& needle) {
  const int i = find_line(lines, needle);
  return i < 0 ? std::string() : lines[static_cast<std::size_t>(i)];
}

json otlp_line(const std::string& service, const json& spans) {
  return {{"resourceSpans",
           {{{"resource",
              {{"attributes", {{{"key", "service.name"}, {"value", {{"stringValue", service}}}}}}}},
             {"scopeSpans", {{{"scope", {{"name", "test"}}}, {"spans", spans}}}}}}}};
}

json span(const std::string& trace_id, const std::string& span_id, const std::string& parent,
          const std::string& name, int start_ms, int end_ms) {
  const long long base = 1795316400000000000LL;
  return {{"traceId", trace_id},
          {"spanId", span_id},
          {"parentSpanId", parent},
          {"name", name},
          {"kind", 1},
          {"startTimeUnixNano", std::to_string(base + start_ms * 1000000LL)},
          {"endTimeUnixNano", std::to_string(base + end_ms * 1000000LL)}};
}

const char* const kTraceA = "4bf92f3577b34da6a3ce929d0e0e4736";
const char* const kTraceB = "5b8aa5a2d2c872e8321cf37308d69df2";

TEST(TreeCommand, DrawsThePipelineAsAnIndentedTreeInStartOrder) {
  const CliResult r = run_cli({"tree", "--ascii", data_file("pipeline.otlp.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const auto lines = r.lines();
  // Ancestors before descendants, siblings by start time, each level indented by 3.
  const std::vector<std::string> expected_prefixes = {
      "POST /orders ", "`- publish orders ", "   `- process orders ", "      |- charge card ",
      "      `- publish invoices "};
  int previous = -1;
  for (const std::string& prefix : expected_prefixes) {
    const auto it = std::find_if(lines.begin(), lines.end(), [&](const std::string& line) {
      return line.compare(0, prefix.size(), prefix) == 0;
    });
    ASSERT_NE(it, lines.end()) << "no line starts with '" << prefix << "'\n" << r.out;
    const int index = static_cast<int>(it - lines.begin());
    EXPECT_GT(index, previous) << prefix;
    previous = index;
  }
}

TEST(TreeCommand, ShowsKindServiceAndDurationOnEachSpanLine) {
  const CliResult r = run_cli({"tree", "--ascii", data_file("pipeline.otlp.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = r.lines();
  const std::string consumer = line_with(lines, "process orders ");
  EXPECT_NE(consumer.find("CONSUMER"), std::string::npos) << consumer;
  EXPECT_NE(consumer.find("billing"), std::string::npos) << consumer;
  // Timestamps given as JSON numbers (and ids in upper case) on this span still read.
  EXPECT_NE(consumer.find("28.0ms"), std::string::npos) << consumer;
  const std::string server = line_with(lines, "POST /orders");
  EXPECT_NE(server.find("SERVER"), std::string::npos);
  EXPECT_NE(server.find("checkout"), std::string::npos);
  EXPECT_NE(server.find("50.0ms"), std::string::npos);
  // The root spans the whole trace: its bar is full.
  EXPECT_NE(server.find("[" + std::string(40, '#') + "]"), std::string::npos) << server;
}

TEST(TreeCommand, SortsTracesByStartAndHeadsEachWithItsId) {
  const CliResult r = run_cli({"tree", data_file("pipeline.otlp.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = r.lines();
  const int a = find_line(lines, std::string("trace ") + kTraceA);
  const int b = find_line(lines, std::string("trace ") + kTraceB);
  ASSERT_GE(a, 0) << r.out;
  ASSERT_GE(b, 0) << r.out;
  EXPECT_LT(a, b);
  EXPECT_NE(lines[static_cast<std::size_t>(a)].find("5 spans"), std::string::npos);
  EXPECT_NE(lines[static_cast<std::size_t>(a)].find("started 2026-11-22T03:00:00.000000Z"),
            std::string::npos);
  EXPECT_LT(find_line(lines, "process orders"), b);
  EXPECT_GT(find_line(lines, "store shipment"), b);
}

TEST(TreeCommand, ResolvesLinksAcrossTracesAndMarksUnknownTargets) {
  const CliResult r = run_cli({"tree", data_file("pipeline.otlp.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = r.lines();
  const int consumer = find_line_starting(lines, "process invoices ");
  ASSERT_GE(consumer, 0);
  const auto link = static_cast<std::size_t>(consumer + 1);
  ASSERT_LT(link + 1, lines.size());
  EXPECT_NE(lines[link].find("↪ link → publish invoices [trace 4bf92f35…, span 44444444…]"),
            std::string::npos)
      << lines[link];
  EXPECT_NE(lines[link + 1].find("↪ link → (not in input) [trace 0af76519…, span b7ad6b71…]"),
            std::string::npos)
      << lines[link + 1];
  // The producer span names the consumer that links to it.
  const int producer = find_line(lines, "─ publish invoices ");
  ASSERT_GE(producer, 0);
  EXPECT_NE(lines[static_cast<std::size_t>(producer + 1)].find(
                "↩ linked from process invoices [trace 5b8aa5a2…, span 55555555…]"),
            std::string::npos)
      << r.out;
}

TEST(TreeCommand, MarksErrorSpansOnly) {
  const CliResult r = run_cli({"tree", data_file("pipeline.otlp.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = r.lines();
  EXPECT_NE(line_with(lines, "charge card").find("✗ ERROR: card declined"), std::string::npos);
  // Status OK (process invoices) and unset are not errors.
  std::size_t marked = 0;
  for (const auto& line : lines) marked += line.find("ERROR") != std::string::npos ? 1U : 0U;
  EXPECT_EQ(marked, 1U) << r.out;
}

TEST(TreeCommand, SkipsMalformedLinesWithTheirNumberAndCountsThem) {
  const CliResult r = run_cli({"tree", "--ascii", data_file("malformed.otlp.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string file = data_file("malformed.otlp.jsonl");
  EXPECT_NE(r.err.find(file + ":2: line skipped: not valid JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(file + ":4: line skipped: no \"resourceSpans\" array"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(file + ":6: line skipped: not a JSON object"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(file + ":7: span \"broken id\" skipped: traceId \"not-a-trace-id\""),
            std::string::npos)
      << r.err;
  // The blank line 3 is not an error.
  EXPECT_EQ(r.err.find(":3:"), std::string::npos) << r.err;
  const auto lines = r.lines();
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(),
            "1 trace, 3 spans from 6 lines; skipped 3 malformed lines, 1 invalid span");
  // The good span on the line with the bad one is kept, under its parent from line 1.
  EXPECT_GE(find_line(lines, "`- write audit"), 0) << r.out;
}

TEST(TreeCommand, DrawsOrphansAtTheTopOfTheirTraceWithAMark) {
  const CliResult r = run_cli({"tree", "--ascii", data_file("malformed.otlp.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string orphan = line_with(r.lines(), "update cache");
  EXPECT_EQ(orphan.rfind("update cache", 0), 0U) << orphan;
  EXPECT_NE(orphan.find("! orphan: parent cccccccccccccccc not in input"), std::string::npos)
      << orphan;
}

TEST(TreeCommand, OutputDependsOnlyOnTheSpansNotOnLineOrder) {
  std::string text = read_whole_file(data_file("pipeline.otlp.jsonl"));
  std::vector<std::string> input_lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) input_lines.push_back(line);
  std::string reversed;
  for (auto it = input_lines.rbegin(); it != input_lines.rend(); ++it) reversed += *it + "\n";
  const CliResult forward = run_cli({"tree", "-"}, text);
  const CliResult backward = run_cli({"tree", "-"}, reversed);
  ASSERT_EQ(forward.exit_code, 0) << forward.err;
  EXPECT_EQ(forward.out, backward.out);
}

TEST(TreeCommand, MergesSpansOfOneTraceAcrossFiles) {
  const json checkout =
      otlp_line("checkout", json::array({span(kTraceA, "00f067aa0ba902b7", "", "send", 0, 10)}));
  const json billing = otlp_line(
      "billing",
      json::array({span(kTraceA, "1111111111111111", "00f067aa0ba902b7", "receive", 2, 8)}));
  TempFile first(checkout.dump() + "\n");
  TempFile second(billing.dump() + "\n");
  const CliResult r = run_cli({"tree", "--ascii", second.path(), first.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(find_line(r.lines(), "`- receive"), 0) << r.out;
  EXPECT_EQ(r.lines().back(), "1 trace, 2 spans from 2 lines");
}

TEST(TreeCommand, ExitsOneWhenNoSpanCouldBeRead) {
  const CliResult garbage = run_cli({"tree", "-"}, "not json\n{\"resourceSpans\":5}\n");
  EXPECT_EQ(garbage.exit_code, 1);
  EXPECT_NE(garbage.err.find("<stdin>:1: line skipped"), std::string::npos) << garbage.err;
  EXPECT_NE(garbage.err.find("<stdin>:2: line skipped: \"resourceSpans\" is not an array"),
            std::string::npos)
      << garbage.err;
  EXPECT_NE(garbage.err.find("no span could be read"), std::string::npos);

  const CliResult empty = run_cli({"tree", "-"}, "");
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("the input is empty"), std::string::npos) << empty.err;
}

TEST(TreeCommand, ReportsAFileThatCannotBeOpened) {
  const CliResult r =
      run_cli({"tree", data_file("pipeline.otlp.jsonl"), "/nonexistent/traces.jsonl"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot open /nonexistent/traces.jsonl"), std::string::npos) << r.err;
  // What could be read is still drawn.
  EXPECT_GE(find_line(r.lines(), "POST /orders"), 0);
}

TEST(TreeCommand, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli({"tree"}).exit_code, 2);
  const CliResult unknown = run_cli({"tree", "--colour", "x.jsonl"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown option '--colour'"), std::string::npos) << unknown.err;
  EXPECT_EQ(run_cli({"tree", "--width", "wide", "x.jsonl"}).exit_code, 2);
  EXPECT_EQ(run_cli({"tree", "--width"}).exit_code, 2);
}

TEST(TreeCommand, WidthZeroLeavesTheBarsOut) {
  const CliResult r = run_cli({"tree", "--width=0", data_file("pipeline.otlp.jsonl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string& line : r.lines()) {
    if (line.find('[') == std::string::npos) continue;
    EXPECT_NE(line.find("[trace "), std::string::npos)
        << "only link references use brackets: " << line;
  }
  EXPECT_EQ(line_with(r.lines(), "POST /orders").find('['), std::string::npos);
}

TEST(TreeCommand, CutsParentLoopsAndCountsDuplicates) {
  const json spans =
      json::array({span(kTraceA, "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "first", 0, 5),
                   span(kTraceA, "bbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaa", "second", 1, 4),
                   span(kTraceA, "cccccccccccccccc", "cccccccccccccccc", "self", 2, 3),
                   span(kTraceA, "cccccccccccccccc", "", "self again", 2, 3)});
  const CliResult r = run_cli({"tree", "--ascii", "-"}, otlp_line("svc", spans).dump() + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = r.lines();
  EXPECT_NE(line_with(lines, "first").find("! parent loop"), std::string::npos) << r.out;
  EXPECT_GE(find_line(lines, "`- second"), 0) << r.out;
  EXPECT_NE(line_with(lines, "self").find("! parent loop"), std::string::npos) << r.out;
  EXPECT_EQ(find_line(lines, "self again"), -1);
  EXPECT_EQ(lines.back(), "1 trace, 3 spans from 1 line; skipped 1 duplicate span");
}

TEST(TreeCommand, SurvivesAVeryDeepChain) {
  json spans = json::array();
  const int depth = 3000;
  for (int i = 0; i < depth; ++i) {
    char id[17];
    char parent[17];
    std::snprintf(id, sizeof id, "%016x", i + 1);
    std::snprintf(parent, sizeof parent, "%016x", i);
    spans.push_back(span(kTraceA, id, i == 0 ? "" : parent, "hop " + std::to_string(i), i, i + 1));
  }
  const CliResult r = run_cli({"tree", "-"}, otlp_line("deep", spans).dump() + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(find_line(r.lines(), "[depth 2999] hop 2999"), 0);
}

TEST(TreeCommand, AcceptsProtoJsonVariants) {
  // Generic proto3 JSON writers: base64 ids, enum names, numbers for 64-bit fields.
  json root = span(kTraceA, "00f067aa0ba902b7", "", "root", 0, 10);
  root["kind"] = "SPAN_KIND_SERVER";
  json child = {{"traceId", "S/kvNXezTaajzpKdDg5HNg=="},
                {"spanId", "ERERERERERE="},
                {"parentSpanId", "APBnqgupArc="},
                {"name", "child"},
                {"kind", "SPAN_KIND_PRODUCER"},
                {"startTimeUnixNano", 1795316400001000000ULL},
                {"endTimeUnixNano", 1795316400002000000ULL},
                {"status", {{"code", "STATUS_CODE_ERROR"}}}};
  const CliResult r =
      run_cli({"tree", "--ascii", "-"}, otlp_line("svc", json::array({root, child})).dump() + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string line = line_with(r.lines(), "`- child");
  EXPECT_NE(line.find("PRODUCER"), std::string::npos) << r.out;
  EXPECT_NE(line.find("x ERROR"), std::string::npos) << r.out;
  EXPECT_NE(line_with(r.lines(), "root").find("SERVER"), std::string::npos) << r.out;
}

TEST(TreeCommand, HelpDescribesTheCommand) {
  const CliResult r = run_cli({"tree", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Usage: hoptrace tree"), std::string::npos);
  EXPECT_NE(r.out.find("--width"), std::string::npos);
}

}  // namespace
}  // namespace hoptrace::test

namespace hoptrace::test {
namespace {

json timed_span(const std::string& span_id, const std::string& name, long long start_ns,
                long long end_ns) {
  return {{"traceId", "4bf92f3577b34da6a3ce929d0e0e4736"},
          {"spanId", span_id},
          {"name", name},
          {"startTimeUnixNano", std::to_string(1795316400000000000LL + start_ns)},
          {"endTimeUnixNano", std::to_string(1795316400000000000LL + end_ns)}};
}

TEST(TreeCommand, FormatsDurationsWithUnits) {
  const json spans = json::array({timed_span("0000000000000001", "nanos", 0, 850),
                                  timed_span("0000000000000002", "micros", 1, 12301),
                                  timed_span("0000000000000003", "millis", 2, 1250002),
                                  timed_span("0000000000000004", "seconds", 3, 2500000003LL),
                                  timed_span("0000000000000005", "minutes", 4, 185000000004LL)});
  const json request = {{"resourceSpans", {{{"scopeSpans", {{{"spans", spans}}}}}}}};
  const CliResult r = run_cli({"tree", "--ascii", "-"}, request.dump() + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = r.lines();
  const std::vector<std::pair<std::string, std::string>> expected = {{"nanos", "850ns"},
                                                                     {"micros", "12.3us"},
                                                                     {"millis", "1.25ms"},
                                                                     {"seconds", "2.50s"},
                                                                     {"minutes", "3m05s"}};
  for (const auto& [name, duration] : expected) {
    const int i = find_line_starting(lines, name + " ");
    ASSERT_GE(i, 0) << r.out;
    EXPECT_NE(lines[static_cast<std::size_t>(i)].find(" " + duration + "  "), std::string::npos)
        << lines[static_cast<std::size_t>(i)];
  }
  // A resource without service.name and a kind left out show as "-".
  EXPECT_NE(lines[static_cast<std::size_t>(find_line_starting(lines, "nanos "))].find("-  "),
            std::string::npos);
  EXPECT_NE(lines.front().find("3m05s"), std::string::npos) << lines.front();
}

TEST(TreeCommand, MarksSpansWithoutTimes) {
  json untimed = timed_span("0000000000000009", "untimed", 0, 0);
  untimed.erase("endTimeUnixNano");
  const json request = {
      {"resourceSpans", {{{"scopeSpans", {{{"spans", json::array({untimed})}}}}}}}};
  const CliResult r = run_cli({"tree", "--ascii", "-"}, request.dump() + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string line = line_with(r.lines(), "untimed");
  EXPECT_NE(line.find("?"), std::string::npos) << line;
  EXPECT_NE(line.find("! no start or end time"), std::string::npos) << line;
}

TEST(TreeCommand, ReportsABadTimestampAndSkipsOnlyThatSpan) {
  json bad = timed_span("0000000000000007", "bad time", 0, 10);
  bad["startTimeUnixNano"] = "yesterday";
  const json good = timed_span("0000000000000008", "good time", 0, 10);
  const json request = {
      {"resourceSpans", {{{"scopeSpans", {{{"spans", json::array({bad, good})}}}}}}}};
  const CliResult r = run_cli({"tree", "-"}, request.dump() + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("<stdin>:1: span \"bad time\" skipped: startTimeUnixNano \"yesterday\" is "
                       "not a non-negative integer"),
            std::string::npos)
      << r.err;
  EXPECT_GE(find_line(r.lines(), "good time"), 0);
}

}  // namespace
}  // namespace hoptrace::test
