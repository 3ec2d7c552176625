#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hoptrace::cli {

/// Process exit codes shared by every command.
enum class ExitCode : int {
  kOk = 0,
  kFailure = 1,  ///< the command ran but found nothing valid (or could not read its input)
  kUsage = 2,    ///< bad flags or arguments; nothing was done
};

/// A mistake in how the command was invoked. main() prints it with a pointer to `--help` and
/// exits with ExitCode::kUsage.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Walks one command's arguments. Long options take their value as `--name VALUE` or
/// `--name=VALUE`; `--` ends the options.
class ArgCursor {
 public:
  /// `args` must outlive the cursor.
  explicit ArgCursor(const std::vector<std::string>& args) noexcept : args_(args) {}

  /// True when every argument has been consumed.
  bool done() const noexcept { return next_ >= args_.size(); }
  /// The next argument, not consumed. Only when !done().
  const std::string& peek() const { return args_.at(next_); }
  /// The next argument, consumed. Only when !done().
  std::string take() { return args_.at(next_++); }

  /// True (and consumed) when the next argument is one of `names`.
  bool take_flag(std::initializer_list<std::string_view> names);

  /// True (and the value stored, both consumed) when the next argument is one of `names`,
  /// given as `--name VALUE` or `--name=VALUE`. Throws UsageError when the value is missing.
  bool take_option(std::initializer_list<std::string_view> names, std::string& value);

  /// True when the next argument looks like an option (`-x`, `--x`) but is not `-` (stdin).
  bool next_is_option() const;

  /// True (and consumed) when the next argument is `--`.
  bool take_end_of_options();

 private:
  const std::vector<std::string>& args_;
  std::size_t next_ = 0;
};

/// Splits `list` at commas, trims spaces and drops empty items.
std::vector<std::string> split_list(std::string_view list);

}  // namespace hoptrace::cli
