#pragma once

#include <stdexcept>
#include <string>

namespace hoptrace {

/// Root of the errors hoptrace throws. Only set-up calls throw (configuration, construction of
/// clients, exporters); the per-message path never does.
///
/// `code()` carries the native error code of the client library involved (librdkafka's
/// `rd_kafka_resp_err_t`, rabbitmq-c's status, a curl code...), or 0 when none applies.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what, int code = 0) : std::runtime_error(what), code_(code) {}
  int code() const noexcept { return code_; }

 private:
  int code_;
};

/// A configuration value (option or environment variable) that cannot be used.
class ConfigError : public Error {
 public:
  using Error::Error;
};

}  // namespace hoptrace
