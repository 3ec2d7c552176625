#pragma once

// A real HTTP/1.1 server on 127.0.0.1 for the OTLP exporter tests: the test starts it on a free
// port, scripts its answers, and reads back what arrived. One thread per connection, keep-alive
// supported, Content-Length bodies, gzip request bodies inflated with zlib.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hoptrace::otlp::testing {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  ///< names lowercased
  std::string raw_body;                        ///< as received
  std::string body;                            ///< inflated when Content-Encoding: gzip
  bool gzip_ok = true;                         ///< false when a gzip body failed to inflate
  std::string header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  ///< before answering
  bool hang = false;                   ///< never answer (until the receiver stops)
};

class HttpReceiver {
 public:
  /// Binds 127.0.0.1:0 and starts accepting. Throws std::runtime_error on failure.
  HttpReceiver();
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/v1/traces") const;

  /// Answers the next requests in order with these; once used up, answers `fallback`.
  void script(std::vector<ScriptedResponse> responses);
  void set_fallback(ScriptedResponse fallback);
  /// When false, only counts requests and bytes (for throughput benchmarks): requests() then
  /// returns empty bodies.
  void set_record_bodies(bool record) { record_bodies_.store(record); }
  std::uint64_t bytes_received() const { return bytes_received_.load(); }

  std::vector<ReceivedRequest> requests() const;
  std::size_t request_count() const;
  /// Waits until at least `n` requests arrived; false on timeout.
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const;
  /// Number of TCP connections accepted.
  std::size_t connection_count() const { return connections_.load(); }

  void stop();

 private:
  void accept_loop();
  void serve(int fd);
  ScriptedResponse next_response();

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> connections_{0};
  std::atomic<bool> record_bodies_{true};
  std::atomic<std::uint64_t> bytes_received_{0};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  std::vector<std::thread> workers_;
  std::vector<int> open_fds_;
  std::deque<ScriptedResponse> script_;
  ScriptedResponse fallback_;
  std::vector<ReceivedRequest> requests_;
};

/// Inflates a gzip member; false on error.
bool gunzip(const std::string& in, std::string& out);

}  // namespace hoptrace::otlp::testing
