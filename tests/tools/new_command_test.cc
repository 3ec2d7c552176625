#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <regex>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace hoptrace::test {
namespace {

using nlohmann::json;

const std::string kTraceParentPattern = "00-[0-9a-f]{32}-[0-9a-f]{16}-03";

// Feeds `headers` to `hoptrace decode` and checks it is a valid, sampled, random-flagged
// W3C context; returns the decoded JSON.
json expect_decodes(const std::string& headers) {
  const CliResult r = run_cli({"decode"}, headers);
  EXPECT_EQ(r.exit_code, 0) << headers << r.out;
  const json j = r.json();
  EXPECT_EQ(j.at("format"), "tracecontext");
  EXPECT_EQ(j.at("sampled"), true);
  EXPECT_EQ(j.at("trace_flags"), "03");
  return j;
}

std::string traceparent_in(const std::string& text) {
  std::smatch match;
  const std::regex pattern(kTraceParentPattern);
  return std::regex_search(text, match, pattern) ? match.str() : std::string();
}

TEST(NewCommand, HeadersFormatIsATraceparentLineThatDecodes) {
  const CliResult r = run_cli({"new"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex("traceparent: " + kTraceParentPattern + "\n")))
      << r.out;
  const json j = expect_decodes(r.out);
  EXPECT_EQ(r.out, "traceparent: 00-" + j.at("trace_id").get<std::string>() + "-" +
                       j.at("span_id").get<std::string>() + "-03\n");
}

TEST(NewCommand, KcatFormatIsAHeaderArgument) {
  const CliResult r = run_cli({"new", "--format", "kcat"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex("-H traceparent=" + kTraceParentPattern + "\n")))
      << r.out;
  expect_decodes("traceparent: " + traceparent_in(r.out) + "\n");
}

TEST(NewCommand, MosquittoFormatIsAnMqtt5UserProperty) {
  const CliResult r = run_cli({"new", "--format=mosquitto"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex("-V mqttv5 -D publish user-property traceparent " +
                                                 kTraceParentPattern + "\n")))
      << r.out;
  expect_decodes("traceparent: " + traceparent_in(r.out) + "\n");
}

TEST(NewCommand, RedisFormatIsAFieldValuePair) {
  const CliResult r = run_cli({"new", "--format", "redis"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex("traceparent " + kTraceParentPattern + "\n")))
      << r.out;
  expect_decodes("traceparent: " + traceparent_in(r.out) + "\n");
}

TEST(NewCommand, EachRunStartsANewTrace) {
  const std::string first = traceparent_in(run_cli({"new"}).out);
  const std::string second = traceparent_in(run_cli({"new"}).out);
  ASSERT_FALSE(first.empty());
  EXPECT_NE(first.substr(3, 32), second.substr(3, 32));
}

TEST(NewCommand, WritesOtherFormatsThatDecodeToTheSameContext) {
  const CliResult r = run_cli({"new", "--propagators", "tracecontext,b3multi,jaeger,xray"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json all = expect_decodes(r.out);
  const std::string trace_id = all.at("trace_id");
  for (const std::string format : {"b3", "jaeger", "xray"}) {
    const CliResult one = run_cli({"decode", "--propagators", format}, r.out);
    ASSERT_EQ(one.exit_code, 0) << format << ": " << one.out;
    const json j = one.json();
    EXPECT_EQ(j.at("trace_id"), trace_id) << format;
    EXPECT_EQ(j.at("span_id"), all.at("span_id")) << format;
    EXPECT_EQ(j.at("sampled"), true) << format;
  }
  EXPECT_EQ(run_cli({"decode", "--propagators", "b3"}, r.out).json().at("format"), "b3multi");
  // X-Ray wants the first 4 bytes to be the trace's start, in epoch seconds.
  const long long epoch = std::stoll(trace_id.substr(0, 8), nullptr, 16);
  EXPECT_LT(std::llabs(epoch - static_cast<long long>(std::time(nullptr))), 3600LL) << trace_id;
}

TEST(NewCommand, UsageErrorsExitTwo) {
  const CliResult bad_format = run_cli({"new", "--format", "curl"});
  EXPECT_EQ(bad_format.exit_code, 2);
  EXPECT_NE(bad_format.err.find("valid formats are: headers, kcat, mosquitto, redis"),
            std::string::npos)
      << bad_format.err;
  EXPECT_EQ(bad_format.out, "");
  EXPECT_EQ(run_cli({"new", "--propagators", "zipkin"}).exit_code, 2);
  EXPECT_EQ(run_cli({"new", "--propagators", "baggage"}).exit_code, 2);
  EXPECT_EQ(run_cli({"new", "--format"}).exit_code, 2);
  EXPECT_EQ(run_cli({"new", "extra"}).exit_code, 2);
}

TEST(CliMain, DispatchesAndReportsUsageErrors) {
  const CliResult none = run_cli({});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("Usage: hoptrace COMMAND"), std::string::npos);
  const CliResult unknown = run_cli({"encode"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown command 'encode'; valid commands: decode, new, tree"),
            std::string::npos)
      << unknown.err;
  const CliResult help = run_cli({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("tree"), std::string::npos);
  const CliResult help_new = run_cli({"help", "new"});
  EXPECT_EQ(help_new.exit_code, 0);
  EXPECT_NE(help_new.out.find("Usage: hoptrace new"), std::string::npos);
}

}  // namespace
}  // namespace hoptrace::test
