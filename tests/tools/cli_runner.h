#pragma once

// Runs the built `hoptrace` binary as a user would: arguments, standard input, and captured
// standard output, standard error and exit code.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace hoptrace::test {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;

  /// stdout parsed as one JSON document (throws when it is not).
  nlohmann::json json() const { return nlohmann::json::parse(out); }
  /// stdout split into lines, without their newlines.
  std::vector<std::string> lines() const {
    std::vector<std::string> result;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) result.push_back(line);
    return result;
  }
};

inline std::string data_file(std::string_view name) {
  return std::string(HOPTRACE_TEST_DATA_DIR) + "/" + std::string(name);
}

inline std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A file in a fresh temporary directory, removed on destruction.
class TempFile {
 public:
  explicit TempFile(std::string_view contents = {}) {
    char pattern[] = "/tmp/hoptrace_cli_test_XXXXXX";
    const int fd = mkstemp(pattern);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    path_ = pattern;
    std::size_t done = 0;
    while (done < contents.size()) {
      const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::close(fd);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Runs `hoptrace ARGS...` with `input` on stdin. Files stand in for pipes so a large output
/// can never deadlock the test.
inline CliResult run_cli(const std::vector<std::string>& args, std::string_view input = {}) {
  TempFile in_file(input);
  TempFile out_file;
  TempFile err_file;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_file.path().c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.path().c_str(), O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.path().c_str(), O_WRONLY | O_TRUNC, 0);
  std::vector<std::string> argv_strings{HOPTRACE_CLI_PATH};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, HOPTRACE_CLI_PATH, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot run " HOPTRACE_CLI_PATH);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  CliResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_whole_file(out_file.path());
  result.err = read_whole_file(err_file.path());
  return result;
}

}  // namespace hoptrace::test
