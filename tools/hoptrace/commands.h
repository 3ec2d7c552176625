#pragma once

#include <string>
#include <vector>

#include "command_line.h"

namespace hoptrace::cli {

/// `hoptrace decode`: header lines on stdin in, one JSON object out.
ExitCode run_decode(const std::vector<std::string>& args);

/// `hoptrace new`: a fresh sampled context, formatted for a tool's command line.
ExitCode run_new(const std::vector<std::string>& args);

/// `hoptrace tree`: OTLP JSON lines in, an indented waterfall per trace out.
ExitCode run_tree(const std::vector<std::string>& args);

}  // namespace hoptrace::cli
