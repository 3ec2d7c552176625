#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_runner.h"

namespace hoptrace::test {
namespace {

using nlohmann::json;

const char* const kTraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

// Runs `hoptrace decode ARGS` on `input` and returns its parsed JSON; records the exit code.
json decode(const std::string& input, int* exit_code = nullptr,
            const std::vector<std::string>& args = {}) {
  std::vector<std::string> all{"decode"};
  all.insert(all.end(), args.begin(), args.end());
  const CliResult r = run_cli(all, input);
  if (exit_code != nullptr) *exit_code = r.exit_code;
  EXPECT_EQ(r.err, "");
  return json::parse(r.out);
}

std::string error_of(const std::string& input) {
  int code = 0;
  const json j = decode(input, &code);
  EXPECT_EQ(code, 1) << j.dump();
  EXPECT_FALSE(j.at("valid").get<bool>());
  return j.value("error", "");
}

TEST(DecodeCommand, DecodesAValidTraceparent) {
  int code = -1;
  const json j = decode(std::string("traceparent: ") + kTraceParent + "\n", &code);
  EXPECT_EQ(code, 0);
  EXPECT_TRUE(j.at("valid").get<bool>());
  EXPECT_EQ(j.at("format"), "tracecontext");
  EXPECT_EQ(j.at("trace_id"), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(j.at("span_id"), "00f067aa0ba902b7");
  EXPECT_EQ(j.at("sampled"), true);
  EXPECT_EQ(j.at("trace_flags"), "01");
  EXPECT_EQ(j.at("tracestate"), "");
  EXPECT_EQ(j.at("baggage"), json::object());
  EXPECT_FALSE(j.contains("warnings")) << j.dump();
}

TEST(DecodeCommand, NotSampledAndUnknownFlagBitsAreReportedAsReceived) {
  const json j = decode("traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-f2\n");
  EXPECT_EQ(j.at("sampled"), false);
  EXPECT_EQ(j.at("trace_flags"), "f2");
}

TEST(DecodeCommand, TrimsValuesIgnoresCaseBlankLinesAndCrlf) {
  const std::string input = std::string("\r\n  TraceParent \t:  \t") + kTraceParent +
                            " \t\r\n\r\nTRACESTATE:congo=t61rcWkgMzE  \r\n";
  int code = -1;
  const json j = decode(input, &code);
  EXPECT_EQ(code, 0) << j.dump();
  EXPECT_EQ(j.at("trace_id"), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(j.at("tracestate"), "congo=t61rcWkgMzE");
}

TEST(DecodeCommand, JoinsRepeatedTracestateLinesInOrder) {
  const json j = decode(std::string("tracestate: rojo=00f067aa0ba902b7\ntraceparent: ") +
                        kTraceParent + "\ntracestate: congo=t61rcWkgMzE\n");
  EXPECT_EQ(j.at("tracestate"), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
}

TEST(DecodeCommand, TwoTraceparentLinesAreInvalid) {
  const std::string error = error_of(std::string("traceparent: ") + kTraceParent +
                                     "\ntraceparent: " + kTraceParent + "\n");
  EXPECT_NE(error.find("traceparent: sent 2 times"), std::string::npos) << error;
}

TEST(DecodeCommand, SaysWhatIsWrongWithATraceparent) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"00-00000000000000000000000000000000-00f067aa0ba902b7-01",
       "traceparent: trace-id is all zeros"},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
       "traceparent: parent-id is all zeros"},
      {"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
       "trace-id \"4BF92F3577B34DA6A3CE929D0E0E4736\" has uppercase hex digits"},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0bz902b7-01",
       "parent-id \"00f067aa0bz902b7\" has a character that is not a hex digit"},
      {"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
       "traceparent: version ff is forbidden"},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
       "traceparent: too short: 52 characters"},
      {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
       "version 00 has exactly 55: unexpected \"-extra\" after the flags"},
      {"00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
       "fields are not separated by '-'"},
  };
  for (const auto& [value, expected] : cases) {
    const std::string error = error_of("traceparent: " + value + "\n");
    EXPECT_NE(error.find(expected), std::string::npos) << value << " -> " << error;
  }
}

TEST(DecodeCommand, AcceptsAHigherVersionWithExtraFields) {
  int code = -1;
  const json j = decode(
      "traceparent: cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future\n",
      &code);
  EXPECT_EQ(code, 0) << j.dump();
  EXPECT_EQ(j.at("span_id"), "00f067aa0ba902b7");
}

TEST(DecodeCommand, AnInvalidTracestateIsAWarningNotAnError) {
  int code = -1;
  const json j =
      decode(std::string("traceparent: ") + kTraceParent + "\ntracestate: ok=1,@bad=2\n", &code);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(j.at("tracestate"), "");
  ASSERT_TRUE(j.contains("warnings")) << j.dump();
  EXPECT_NE(j.at("warnings").dump().find("tracestate: discarded whole"), std::string::npos);
  EXPECT_NE(j.at("warnings").dump().find("@bad=2"), std::string::npos) << j.dump();
}

TEST(DecodeCommand, DecodesBaggageWithProperties) {
  const json j = decode(std::string("traceparent: ") + kTraceParent +
                        "\nbaggage: userId=alice,region=eu%20west;ttl=60\nbaggage: tier=gold\n");
  EXPECT_EQ(j.at("baggage"), (json{{"userId", "alice"}, {"region", "eu west"}, {"tier", "gold"}}));
  EXPECT_EQ(j.at("baggage_properties"), (json{{"region", "ttl=60"}}));
}

TEST(DecodeCommand, ReportsDroppedBaggageMembers) {
  const json j =
      decode(std::string("traceparent: ") + kTraceParent + "\nbaggage: good=1,bad member=2\n");
  EXPECT_EQ(j.at("baggage"), (json{{"good", "1"}}));
  EXPECT_NE(j.at("warnings").dump().find("dropped member \\\"bad member=2\\\""), std::string::npos)
      << j.dump();
}

TEST(DecodeCommand, DecodesB3SingleHeader) {
  int code = -1;
  const json j = decode("b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1\n", &code);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(j.at("format"), "b3");
  EXPECT_EQ(j.at("trace_id"), "80f198ee56343ba864fe8b2a57d3eff7");
  EXPECT_EQ(j.at("span_id"), "e457b5a2e4d86bd1");
  EXPECT_EQ(j.at("sampled"), true);
}

TEST(DecodeCommand, DecodesB3MultiHeadersAndPads64BitIds) {
  int code = -1;
  const json j = decode(
      "X-B3-TraceId: 64fe8b2a57d3eff7\nX-B3-SpanId: e457b5a2e4d86bd1\nX-B3-Sampled: 0\n", &code);
  EXPECT_EQ(code, 0) << j.dump();
  EXPECT_EQ(j.at("format"), "b3multi");
  EXPECT_EQ(j.at("trace_id"), "000000000000000064fe8b2a57d3eff7");
  EXPECT_EQ(j.at("sampled"), false);
}

TEST(DecodeCommand, ExplainsB3Problems) {
  EXPECT_NE(error_of("b3: 80f198ee56343ba864fe8b2a57d3eff7\n").find("b3: malformed"),
            std::string::npos);
  EXPECT_NE(
      error_of("x-b3-traceid: 80f198ee56343ba864fe8b2a57d3eff7\n").find("x-b3-spanid: missing"),
      std::string::npos);
  // A sampling decision alone carries no ids.
  EXPECT_NE(error_of("b3: 0\n").find("no complete context"), std::string::npos);
}

TEST(DecodeCommand, DecodesJaegerWithItsBaggage) {
  int code = -1;
  const json j = decode(
      "uber-trace-id: 4bf92f3577b34da6a3ce929d0e0e4736%3A00f067aa0ba902b7%3A0%3A3\n"
      "uberctx-tenant: acme\n",
      &code);
  EXPECT_EQ(code, 0) << j.dump();
  EXPECT_EQ(j.at("format"), "jaeger");
  EXPECT_EQ(j.at("trace_id"), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(j.at("sampled"), true);
  EXPECT_EQ(j.at("baggage"), (json{{"tenant", "acme"}}));
}

TEST(DecodeCommand, ExplainsJaegerProblems) {
  EXPECT_NE(error_of("uber-trace-id: 4bf92f3577b34da6:00f067aa0ba902b7\n")
                .find("uber-trace-id: malformed"),
            std::string::npos);
  EXPECT_NE(error_of("uber-trace-id: 0:00f067aa0ba902b7:0:1\n").find("zero"), std::string::npos);
}

TEST(DecodeCommand, DecodesXRayWithPassthroughPairs) {
  int code = -1;
  const json j = decode(
      "X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;"
      "Sampled=1;Lineage=a87bd80c:1|68fd508a:5\n",
      &code);
  EXPECT_EQ(code, 0) << j.dump();
  EXPECT_EQ(j.at("format"), "xray");
  EXPECT_EQ(j.at("trace_id"), "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(j.at("span_id"), "53995c3f42cd8ad8");
  EXPECT_EQ(j.at("sampled"), true);
  EXPECT_EQ(j.at("xray_passthrough"), "Lineage=a87bd80c:1|68fd508a:5");
}

TEST(DecodeCommand, ExplainsXRayProblems) {
  EXPECT_NE(error_of("x-amzn-trace-id: Root=1-5759e988-bd862e3fe1be46a994272793;"
                     "Parent=53995c3f42cd8ad8;Sampled=?\n")
                .find("Sampled=? is not 0 or 1"),
            std::string::npos);
  EXPECT_NE(error_of("x-amzn-trace-id: Parent=53995c3f42cd8ad8;Sampled=1\n").find("no Root="),
            std::string::npos);
}

TEST(DecodeCommand, SaysWhichFormatsWereTriedWhenNothingMatches) {
  int code = -1;
  const json j = decode("content-type: application/json\ntrace-parent: x\n", &code);
  EXPECT_EQ(code, 1);
  const std::string error = j.at("error");
  EXPECT_NE(error.find("no trace context found"), std::string::npos) << error;
  EXPECT_NE(error.find("tracecontext (traceparent)"), std::string::npos) << error;
  EXPECT_NE(error.find("xray (x-amzn-trace-id)"), std::string::npos) << error;
  EXPECT_NE(error.find("it has: content-type, trace-parent"), std::string::npos) << error;
  EXPECT_EQ(j.at("tried"), (json{"tracecontext", "b3", "jaeger", "xray"}));
  EXPECT_NE(error_of("").find("the input is empty"), std::string::npos);
}

TEST(DecodeCommand, ALineWithoutAColonIsAnInputError) {
  int code = -1;
  const json j =
      decode(std::string("traceparent: ") + kTraceParent + "\nGET /orders HTTP/1.1\n", &code);
  EXPECT_EQ(code, 1);
  EXPECT_FALSE(j.at("valid").get<bool>());
  EXPECT_EQ(j.at("error"),
            "input line 2 \"GET /orders HTTP/1.1\" is not a header: expected `name: value`");
}

TEST(DecodeCommand, FirstValidFormatInTheListWinsAndTheOthersAreListed) {
  const std::string input = std::string("traceparent: ") + kTraceParent +
                            "\nb3: 4bf92f3577b34da6a3ce929d0e0e4736-e457b5a2e4d86bd1-0\n";
  const json by_default = decode(input);
  EXPECT_EQ(by_default.at("format"), "tracecontext");
  ASSERT_TRUE(by_default.contains("also_found")) << by_default.dump();
  EXPECT_EQ(by_default.at("also_found").at(0).at("format"), "b3");
  EXPECT_EQ(by_default.at("also_found").at(0).at("same_trace"), true);

  const json b3_first = decode(input, nullptr, {"--propagators", "B3, tracecontext"});
  EXPECT_EQ(b3_first.at("format"), "b3");
  EXPECT_EQ(b3_first.at("span_id"), "e457b5a2e4d86bd1");

  int code = -1;
  const json only_jaeger = decode(input, &code, {"--propagators=jaeger"});
  EXPECT_EQ(code, 1);
  EXPECT_EQ(only_jaeger.at("tried"), (json{"jaeger"}));
}

TEST(DecodeCommand, AMalformedLosingHeaderIsAWarning) {
  const json j = decode(std::string("traceparent: ") + kTraceParent + "\nb3: garbage-1\n");
  EXPECT_EQ(j.at("format"), "tracecontext");
  EXPECT_NE(j.at("warnings").dump().find("b3: malformed"), std::string::npos) << j.dump();
}

TEST(DecodeCommand, BaggageAloneIsValidWhenItIsTheOnlyFormatAsked) {
  int code = -1;
  const json j = decode("baggage: k=v\n", &code, {"--propagators", "baggage"});
  EXPECT_EQ(code, 0);
  EXPECT_EQ(j.at("format"), "baggage");
  EXPECT_EQ(j.at("baggage"), (json{{"k", "v"}}));
  decode("traceparent: x\n", &code, {"--propagators", "baggage"});
  EXPECT_EQ(code, 1);
}

TEST(DecodeCommand, CompactPrintsOneLine) {
  const CliResult r =
      run_cli({"decode", "--compact"}, std::string("traceparent: ") + kTraceParent + "\n");
  EXPECT_EQ(r.exit_code, 0);
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1);
  EXPECT_TRUE(r.json().at("valid").get<bool>());
}

TEST(DecodeCommand, UsageErrorsExitTwoWithAMessage) {
  const CliResult unknown = run_cli({"decode", "--propagators", "tracecontext,w3c"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.out, "");
  EXPECT_NE(unknown.err.find("unknown propagator 'w3c'; valid names are: tracecontext, b3, "
                             "b3multi, jaeger, xray, baggage"),
            std::string::npos)
      << unknown.err;
  EXPECT_EQ(run_cli({"decode", "--verbose"}).exit_code, 2);
  EXPECT_EQ(run_cli({"decode", "headers.txt"}).exit_code, 2);
  EXPECT_EQ(run_cli({"decode", "--propagators"}).exit_code, 2);
  EXPECT_EQ(run_cli({"decode", "--propagators", " , "}).exit_code, 2);
}

TEST(DecodeCommand, HostileInputIsReportedNotCrashedOn) {
  // Binary bytes, invalid UTF-8 and a huge tracestate: still one JSON object.
  std::string input = std::string("traceparent: ") + kTraceParent + "\n";
  input += "tracestate: " + std::string(100000, 'a') + "=1\n";
  input += "baggage: k=\xff\xfe\x01\n";
  input += "b3: \x01\x02\x03\n";
  int code = -1;
  const json j = decode(input, &code);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(j.at("trace_id"), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(j.at("tracestate"), "");
  EXPECT_TRUE(j.contains("warnings"));
}

TEST(DecodeCommand, HelpDescribesTheCommand) {
  const CliResult r = run_cli({"decode", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Usage: hoptrace decode"), std::string::npos);
  EXPECT_NE(r.out.find("--propagators"), std::string::npos);
}

}  // namespace
}  // namespace hoptrace::test
