#include "commands.h"
namespace hoptrace::cli {
ExitCode run_decode(const std::vector<std::string>&) { return ExitCode::kFailure; }
ExitCode run_new(const std::vector<std::string>&) { return ExitCode::kFailure; }
}  // namespace hoptrace::cli
