// The `hoptrace` command-line tool: decode trace headers, make new ones, draw exported traces.
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"

namespace {

using hoptrace::cli::ExitCode;

constexpr const char* kMainHelp = R"help(Usage: hoptrace COMMAND [OPTIONS]

Inspect and create distributed-tracing context for messages and requests.

Commands:
  decode    read header lines (name: value) on stdin and print the trace context they
            carry as JSON (W3C tracecontext, B3, Jaeger, X-Ray, and baggage)
  new       print a fresh sampled traceparent, ready to paste into curl, kcat,
            mosquitto_pub or redis-cli
  tree      draw spans exported as OTLP JSON lines as an indented waterfall per trace

Run `hoptrace COMMAND --help` for a command's options and examples.
Exit status: 0 success, 1 nothing valid found (or input unreadable), 2 usage error.
)help";

struct Command {
  std::string_view name;
  ExitCode (*run)(const std::vector<std::string>&);
};

constexpr Command kCommands[] = {
    {"decode", hoptrace::cli::run_decode},
    {"new", hoptrace::cli::run_new},
    {"tree", hoptrace::cli::run_tree},
};

int usage_error(std::string_view command, std::string_view message) {
  std::cerr << "hoptrace" << (command.empty() ? "" : " ") << command << ": " << message << '\n'
            << "Try 'hoptrace" << (command.empty() ? "" : " ") << command << " --help'.\n";
  return static_cast<int>(ExitCode::kUsage);
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  const std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty()) {
    std::cerr << kMainHelp;
    return static_cast<int>(ExitCode::kUsage);
  }
  std::string_view name = all[0];
  std::vector<std::string> rest(all.begin() + 1, all.end());
  if (name == "-h" || name == "--help") {
    std::cout << kMainHelp;
    return 0;
  }
  if (name == "help") {
    if (rest.empty()) {
      std::cout << kMainHelp;
      return 0;
    }
    // `hoptrace help tree` is `hoptrace tree --help`.
    name = all[1];
    rest = {"--help"};
  }
  for (const Command& command : kCommands) {
    if (command.name != name) continue;
    try {
      const ExitCode code = command.run(rest);
      std::cout.flush();
      return static_cast<int>(code);
    } catch (const hoptrace::cli::UsageError& e) {
      return usage_error(command.name, e.what());
    } catch (const std::exception& e) {
      std::cerr << "hoptrace " << command.name << ": " << e.what() << '\n';
      return static_cast<int>(ExitCode::kFailure);
    }
  }
  return usage_error(
      "", "unknown command '" + std::string(name) + "'; valid commands: decode, new, tree");
}
