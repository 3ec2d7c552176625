#include <algorithm>
#include <cstdint>
#include <ctime>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "hoptrace/core/context.h"
#include "hoptrace/core/id_generator.h"
#include "hoptrace/core/memory_carrier.h"
#include "propagator_catalog.h"

namespace hoptrace::cli {
namespace {

constexpr const char* kNewHelp = R"help(Usage: hoptrace new [OPTIONS]

Prints a fresh sampled trace context (random trace id and span id, W3C flags 03: sampled
and random trace id) as ready-to-paste arguments, so a message you send by hand starts a
trace you can follow.

Options:
  --format FORMAT     how to print the headers:
                        headers    `name: value` lines (curl -H, hoptrace decode)  [default]
                        kcat       -H name=value            (kcat -P)
                        mosquitto  -V mqttv5 -D publish user-property name value
                                                            (mosquitto_pub; needs MQTT 5)
                        redis      name value               (redis-cli XADD field/value pairs)
  --propagators LIST  formats to write, in order (OTEL_PROPAGATORS names): tracecontext,
                      b3, b3multi, jaeger, xray. Default: tracecontext. With xray, the
                      trace id starts with the current epoch second, as X-Ray requires.
  -h, --help          show this help

Examples:
  curl -H "$(hoptrace new)" http://localhost:8080/orders
  echo '{"id":1}' | kcat -P -b localhost:9092 -t orders $(hoptrace new --format kcat)
  mosquitto_pub -t orders -m '{"id":1}' $(hoptrace new --format mosquitto)
  redis-cli XADD orders '*' $(hoptrace new --format redis) id 1
  hoptrace new | hoptrace decode
)help";

enum class OutputFormat { kHeaders, kKcat, kMosquitto, kRedis };

OutputFormat parse_output_format(const std::string& name) {
  if (name == "headers") return OutputFormat::kHeaders;
  if (name == "kcat") return OutputFormat::kKcat;
  if (name == "mosquitto") return OutputFormat::kMosquitto;
  if (name == "redis") return OutputFormat::kRedis;
  throw UsageError("unknown format '" + name +
                   "'; valid formats are: headers, kcat, mosquitto, redis");
}

// Values go through a shell when pasted; generated ones are plain tokens, but quote anything
// else (a space, a quote) so the paste stays one argument.
std::string shell_word(const std::string& text) {
  const bool plain = !text.empty() && text.find_first_not_of(
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789-_.:/=,+@%") == std::string::npos;
  if (plain) return text;
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

// The X-Ray backend reads the first 4 bytes of a trace id as the epoch second the trace began
// and rejects old ones. The right-most 12 bytes stay random, so the W3C random flag still holds.
TraceId with_epoch_prefix(const TraceId& random) {
  auto bytes = random.bytes();
  const auto now = static_cast<std::uint32_t>(std::time(nullptr));
  for (std::size_t i = 0; i < 4; ++i) {
    bytes[i] = static_cast<std::uint8_t>(now >> (8 * (3 - i)));
  }
  return TraceId(bytes);
}

}  // namespace

ExitCode run_new(const std::vector<std::string>& args) {
  OutputFormat output = OutputFormat::kHeaders;
  std::string list = "tracecontext";
  ArgCursor cursor(args);
  while (!cursor.done()) {
    std::string value;
    if (cursor.take_flag({"-h", "--help"})) {
      std::cout << kNewHelp;
      return ExitCode::kOk;
    }
    if (cursor.take_option({"--format"}, value)) {
      output = parse_output_format(value);
    } else if (cursor.take_option({"--propagators"}, list)) {
      if (split_list(list).empty()) throw UsageError("--propagators needs at least one name");
    } else if (cursor.next_is_option()) {
      throw UsageError("unknown option '" + cursor.peek() + "'");
    } else {
      throw UsageError("unexpected argument '" + cursor.peek() + "'");
    }
  }
  const std::vector<SelectedFormat> formats = select_formats(list);
  if (std::none_of(formats.begin(), formats.end(),
                   [](const SelectedFormat& f) { return f.carries_span_context; })) {
    throw UsageError(
        "baggage alone carries no trace context; add tracecontext, b3, b3multi, "
        "jaeger or xray to --propagators");
  }

  IdGenerator& ids = default_id_generator();
  std::uint8_t flags = TraceFlags::kSampled;
  // Level 2: the random flag promises the right-most 7 bytes are random; claim it only when
  // the generator does.
  if (ids.trace_ids_are_random()) flags |= TraceFlags::kRandomTraceId;
  TraceId trace_id = ids.new_trace_id();
  const bool xray = std::any_of(formats.begin(), formats.end(),
                                [](const SelectedFormat& f) { return f.name == "xray"; });
  if (xray) trace_id = with_epoch_prefix(trace_id);
  Context context;
  context.span_context =
      SpanContext(trace_id, ids.new_span_id(), TraceFlags(flags), /*is_remote=*/false);

  MemoryCarrier carrier(RepeatedKeys::kLastWins);
  for (const SelectedFormat& format : formats) format.propagator->inject(context, carrier);

  std::vector<std::string> words;
  for (std::size_t i = 0; i < carrier.size(); ++i) {
    const auto& [name, value] = carrier.at(i);
    switch (output) {
      case OutputFormat::kHeaders:
        std::cout << name << ": " << value << '\n';
        break;
      case OutputFormat::kKcat:
        words.push_back("-H");
        words.push_back(shell_word(name + "=" + value));
        break;
      case OutputFormat::kMosquitto:
        if (words.empty()) words.insert(words.end(), {"-V", "mqttv5"});
        words.insert(words.end(),
                     {"-D", "publish", "user-property", shell_word(name), shell_word(value)});
        break;
      case OutputFormat::kRedis:
        words.push_back(shell_word(name));
        words.push_back(shell_word(value));
        break;
    }
  }
  if (!words.empty()) {
    for (std::size_t i = 0; i < words.size(); ++i) std::cout << (i > 0 ? " " : "") << words[i];
    std::cout << '\n';
  }
  return ExitCode::kOk;
}

}  // namespace hoptrace::cli
