// HTTPS export: the CA certificate verifies the receiver, and the client key and certificate
// authenticate hoptrace to a receiver that requires mutual TLS. The receiver is a Python
// HTTPS server on 127.0.0.1 started (and stopped by pid) by the test; certificates are made
// with the openssl command line.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "env_guard.h"
#include "hoptrace/otlp/otlp_http_exporter.h"
#include "span_fixtures.h"

#ifndef HOPTRACE_OTLP_SUPPORT_DIR
#error "HOPTRACE_OTLP_SUPPORT_DIR must name tests/otlp/support"
#endif

namespace hoptrace::otlp {
namespace {

using Status = sdk::ExportResult::Status;

std::string find_tool(const std::vector<std::string>& candidates) {
  for (const auto& c : candidates) {
    if (::access(c.c_str(), X_OK) == 0) return c;
  }
  return {};
}

bool run(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

// A CA, a server certificate for IP 127.0.0.1 and a client certificate, all signed by the CA.
class Certificates {
 public:
  explicit Certificates(const std::string& openssl) {
    char tmpl[] = "/tmp/hoptrace_otlp_tlsXXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return;
    dir_ = tmpl;
    const std::string d = dir_ + "/";
    std::FILE* ext = std::fopen((d + "server.ext").c_str(), "w");
    if (ext == nullptr) return;
    std::fputs("subjectAltName=IP:127.0.0.1\n", ext);
    std::fclose(ext);
    ok_ = run(openssl +
              " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "
              "/CN=hoptrace-test-ca -keyout " +
              d + "ca.key -out " + d + "ca.pem") &&
          make_leaf(openssl, "server", "127.0.0.1", "-extfile " + d + "server.ext") &&
          make_leaf(openssl, "client", "hoptrace-client", "");
  }
  ~Certificates() {
    if (!dir_.empty()) run("rm -rf " + dir_);
  }
  bool ok() const { return ok_; }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  bool make_leaf(const std::string& openssl, const std::string& name, const std::string& cn,
                 const std::string& extra) {
    const std::string d = dir_ + "/";
    return run(openssl + " req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=" +
               cn + " -keyout " + d + name + ".key -out " + d + name + ".csr") &&
           run(openssl + " x509 -req -days 1 -in " + d + name + ".csr -CA " + d + "ca.pem -CAkey " +
               d + "ca.key -CAcreateserial -out " + d + name + ".pem " + extra);
  }
  std::string dir_;
  bool ok_ = false;
};

// The HTTPS receiver process; stopped by pid.
class TlsReceiver {
 public:
  TlsReceiver(const std::string& python, const std::vector<std::string>& args) {
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<std::string> all = {python,
                                      std::string(HOPTRACE_OTLP_SUPPORT_DIR) + "/tls_receiver.py"};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(python.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    char buf[16] = {};
    std::size_t n = 0;
    while (n < sizeof(buf) - 1) {
      const ssize_t r = ::read(out[0], buf + n, 1);
      if (r <= 0 || buf[n] == '\n') break;
      ++n;
    }
    ::close(out[0]);
    port_ = std::atoi(buf);
  }
  ~TlsReceiver() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/v1/traces"; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

class OtlpTls : public ::testing::Test {
 protected:
  void SetUp() override {
    openssl_ = find_tool({"/usr/bin/openssl", "/usr/local/bin/openssl"});
    python_ = find_tool({"/usr/bin/python3", "/usr/local/bin/python3"});
    if (openssl_.empty() || python_.empty()) {
      const char* require = std::getenv("HOPTRACE_REQUIRE_BROKERS");
      if (require != nullptr && std::string(require) == "1") {
        FAIL() << "openssl or python3 is missing (apt-get install openssl python3) and "
                  "HOPTRACE_REQUIRE_BROKERS=1";
      }
      GTEST_SKIP() << "openssl or python3 not installed";
    }
  }

  sdk::ExportResult export_one(
      OtlpHttpExporterOptions options,
      std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    options.timeout = timeout;
    options.retry.initial_backoff = std::chrono::milliseconds(10);
    options.retry.max_backoff = std::chrono::milliseconds(50);
    OtlpHttpExporter exporter(options);
    testing::SpanFixture f;
    f.add_messaging_span(1);
    return exporter.export_spans(f.pointers());
  }

  std::string openssl_;
  std::string python_;
  testing::EnvGuard env_;
};

TEST_F(OtlpTls, TheCaCertificateVerifiesTheReceiver) {
  Certificates certs(openssl_);
  ASSERT_TRUE(certs.ok());
  TlsReceiver receiver(python_, {certs.path("server.pem"), certs.path("server.key")});
  ASSERT_GT(receiver.port(), 0);

  OtlpHttpExporterOptions o;
  o.endpoint = receiver.url();
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(export_one(o).status, Status::kFailed);  // unknown CA: not trusted, not retried
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("not retried"), std::string::npos);

  env_.set("OTEL_EXPORTER_OTLP_CERTIFICATE", certs.path("ca.pem"));  // from the environment
  EXPECT_EQ(export_one(o).status, Status::kSuccess);
}

TEST_F(OtlpTls, TheClientCertificateAuthenticatesToAMutualTlsReceiver) {
  Certificates certs(openssl_);
  ASSERT_TRUE(certs.ok());
  TlsReceiver receiver(python_,
                       {certs.path("server.pem"), certs.path("server.key"), certs.path("ca.pem")});
  ASSERT_GT(receiver.port(), 0);

  OtlpHttpExporterOptions o;
  o.endpoint = receiver.url();
  o.certificate_file = certs.path("ca.pem");
  ::testing::internal::CaptureStderr();
  // No client certificate: the handshake is refused (retried as a connection failure until the
  // timeout, since a reset handshake can be transient).
  EXPECT_NE(export_one(o, std::chrono::milliseconds(500)).status, Status::kSuccess);
  ::testing::internal::GetCapturedStderr();

  o.client_certificate_file = certs.path("client.pem");
  o.client_key_file = certs.path("client.key");
  EXPECT_EQ(export_one(o).status, Status::kSuccess);
}

}  // namespace
}  // namespace hoptrace::otlp
