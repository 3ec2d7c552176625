// OtlpHttpExporterSettings::resolve: the OTEL_EXPORTER_OTLP_* rules, code options winning, and
// bad values reported once and ignored. Plus the OTEL_TRACES_EXPORTER / OTEL_SDK_DISABLED
// factory.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "env_guard.h"
#include "hoptrace/core/error.h"
#include "hoptrace/core/sdk/tracer_provider.h"
#include "hoptrace/otlp/otlp_environment.h"
#include "hoptrace/otlp/otlp_http_exporter.h"

namespace hoptrace::otlp {
namespace {

using testing::EnvGuard;
using ::testing::HasSubstr;
using Settings = OtlpHttpExporterSettings;

std::string resolve_url_with(const char* name, const std::string& value) {
  EnvGuard env;
  env.set(name, value);
  return Settings::resolve().url;
}

// Each distinct warning is printed once per process, so tests that look for one use values
// no other test uses.
std::string stderr_of_resolve(Settings* out) {
  ::testing::internal::CaptureStderr();
  *out = Settings::resolve();
  return ::testing::internal::GetCapturedStderr();
}

TEST(OtlpConfig, DefaultsWithAnEmptyEnvironment) {
  EnvGuard env;
  const Settings s = Settings::resolve();
  EXPECT_EQ(s.url, "http://localhost:4318/v1/traces");
  EXPECT_EQ(s.protocol, OtlpProtocol::kHttpProtobuf);
  EXPECT_TRUE(s.headers.empty());
  EXPECT_EQ(s.timeout.count(), 10000);
  EXPECT_EQ(s.compression, OtlpCompression::kNone);
  EXPECT_TRUE(s.certificate_file.empty());
  EXPECT_EQ(s.max_request_bytes, 64u << 20);
}

TEST(OtlpConfig, GenericEndpointGetsV1TracesAppended) {
  EXPECT_EQ(resolve_url_with("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
            "http://collector:4318/v1/traces");
  EXPECT_EQ(resolve_url_with("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"),
            "http://collector:4318/v1/traces");
  EXPECT_EQ(resolve_url_with("OTEL_EXPORTER_OTLP_ENDPOINT", "https://gw.example/otlp"),
            "https://gw.example/otlp/v1/traces");
}

TEST(OtlpConfig, PerSignalEndpointIsUsedAsIs) {
  EXPECT_EQ(resolve_url_with("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://tempo:4318/custom"),
            "http://tempo:4318/custom");
  // No path means the root path, never /v1/traces.
  EXPECT_EQ(resolve_url_with("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://tempo:4318"),
            "http://tempo:4318/");
  EnvGuard env;
  env.set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://generic:4318");
  env.set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://specific:4318/v1/traces");
  EXPECT_EQ(Settings::resolve().url, "http://specific:4318/v1/traces");
}

TEST(OtlpConfig, CodeOptionsWinOverTheEnvironment) {
  EnvGuard env;
  env.set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://env:4318/v1/traces");
  env.set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
  env.set("OTEL_EXPORTER_OTLP_TIMEOUT", "1234");
  env.set("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
  OtlpHttpExporterOptions o;
  o.endpoint = "http://code:9999/in";
  o.protocol = OtlpProtocol::kHttpProtobuf;
  o.timeout = std::chrono::milliseconds(50);
  o.compression = OtlpCompression::kNone;
  const Settings s = Settings::resolve(o);
  EXPECT_EQ(s.url, "http://code:9999/in");
  EXPECT_EQ(s.protocol, OtlpProtocol::kHttpProtobuf);
  EXPECT_EQ(s.timeout.count(), 50);
  EXPECT_EQ(s.compression, OtlpCompression::kNone);
  // And the environment is read when the code leaves a field unset.
  const Settings from_env = Settings::resolve();
  EXPECT_EQ(from_env.protocol, OtlpProtocol::kHttpJson);
  EXPECT_EQ(from_env.timeout.count(), 1234);
  EXPECT_EQ(from_env.compression, OtlpCompression::kGzip);
}

TEST(OtlpConfig, PerSignalVariablesWinOverGenericOnes) {
  EnvGuard env;
  env.set("OTEL_EXPORTER_OTLP_TIMEOUT", "1000");
  env.set("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "2000");
  env.set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
  env.set("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "HTTP/JSON");
  env.set("OTEL_EXPORTER_OTLP_HEADERS", "a=1");
  env.set("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "b=2");
  const Settings s = Settings::resolve();
  EXPECT_EQ(s.timeout.count(), 2000);
  EXPECT_EQ(s.protocol, OtlpProtocol::kHttpJson);
  ASSERT_EQ(s.headers.size(), 1u);
  EXPECT_EQ(s.headers[0].name, "b");
}

TEST(OtlpConfig, HeadersArePercentDecodedAndMergedWithCodeHeaders) {
  EnvGuard env;
  env.set("OTEL_EXPORTER_OTLP_HEADERS",
          "api-key=secret%20value , tenant = a%2Cb%3Dc,,Authorization=Basic%20eA%3D%3D");
  OtlpHttpExporterOptions o;
  o.headers = {{"AUTHORIZATION", "Bearer code"}, {"x-extra", "1"}};
  const Settings s = Settings::resolve(o);
  ASSERT_EQ(s.headers.size(), 4u);
  EXPECT_EQ(s.headers[0].name, "api-key");
  EXPECT_EQ(s.headers[0].value, "secret value");
  EXPECT_EQ(s.headers[1].name, "tenant");
  EXPECT_EQ(s.headers[1].value, "a,b=c");
  EXPECT_EQ(s.headers[2].name, "Authorization");
  EXPECT_EQ(s.headers[2].value, "Bearer code");  // the code's header replaced the env's
  EXPECT_EQ(s.headers[3].name, "x-extra");
}

TEST(OtlpConfig, MalformedHeaderListIsReportedOnceAndIgnoredWhole) {
  EnvGuard env;
  env.set("OTEL_EXPORTER_OTLP_HEADERS", "good=1,no-equals-sign-here");
  Settings s;
  const std::string first = stderr_of_resolve(&s);
  EXPECT_TRUE(s.headers.empty());
  EXPECT_THAT(first, HasSubstr("OTEL_EXPORTER_OTLP_HEADERS"));
  EXPECT_THAT(first, HasSubstr("no-equals-sign-here"));
  EXPECT_EQ(stderr_of_resolve(&s), "");  // once per process
}

TEST(OtlpConfig, HeaderInjectionIsRefused) {
  EnvGuard env;
  env.set("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x=a%0D%0AInjected: 1");
  Settings s;
  EXPECT_THAT(stderr_of_resolve(&s), HasSubstr("CR, LF or NUL"));
  EXPECT_TRUE(s.headers.empty());
  OtlpHttpExporterOptions o;
  o.headers = {{"bad name", "v"}};
  EXPECT_THROW(Settings::resolve(o), ConfigError);
  o.headers = {{"ok", "line\r\nbreak"}};
  EXPECT_THROW(Settings::resolve(o), ConfigError);
}

TEST(OtlpConfig, BadEndpointIsReportedAndTheNextRuleUsed) {
  EnvGuard env;
  env.set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "collector:4318/v1/traces");
  env.set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://fallback:4318");
  Settings s;
  EXPECT_THAT(stderr_of_resolve(&s), HasSubstr("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
  EXPECT_EQ(s.url, "http://fallback:4318/v1/traces");
  OtlpHttpExporterOptions o;
  o.endpoint = "ftp://collector/v1/traces";
  EXPECT_THROW(Settings::resolve(o), ConfigError);
}

TEST(OtlpConfig, BadTimeoutCompressionAndProtocolAreIgnoredWithAWarning) {
  EnvGuard env;
  env.set("OTEL_EXPORTER_OTLP_TIMEOUT", "10s");
  env.set("OTEL_EXPORTER_OTLP_COMPRESSION", "brotli");
  env.set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/xml");
  Settings s;
  const std::string err = stderr_of_resolve(&s);
  EXPECT_EQ(s.timeout.count(), 10000);
  EXPECT_EQ(s.compression, OtlpCompression::kNone);
  EXPECT_EQ(s.protocol, OtlpProtocol::kHttpProtobuf);
  EXPECT_THAT(err, HasSubstr("OTEL_EXPORTER_OTLP_TIMEOUT='10s'"));
  EXPECT_THAT(err, HasSubstr("OTEL_EXPORTER_OTLP_COMPRESSION='brotli'"));
  EXPECT_THAT(err, HasSubstr("OTEL_EXPORTER_OTLP_PROTOCOL='http/xml'"));
  env.set("OTEL_EXPORTER_OTLP_TIMEOUT", "0");
  EXPECT_EQ(Settings::resolve().timeout.count(), 10000);
  OtlpHttpExporterOptions o;
  o.timeout = std::chrono::milliseconds(0);
  EXPECT_THROW(Settings::resolve(o), ConfigError);
}

TEST(OtlpConfig, GrpcIsNotSupportedAndFallsBackToHttpProtobuf) {
  EnvGuard env;
  env.set("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc");
  Settings s;
  EXPECT_THAT(stderr_of_resolve(&s), HasSubstr("gRPC is not supported"));
  EXPECT_EQ(s.protocol, OtlpProtocol::kHttpProtobuf);
}

TEST(OtlpConfig, CertificateFilesMustBeReadable) {
  EnvGuard env;
  char path[] = "/tmp/hoptrace_otlp_caXXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  env.set("OTEL_EXPORTER_OTLP_CERTIFICATE", path);
  env.set("OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY", "/nonexistent/hoptrace/key.pem");
  env.set("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", path);
  Settings s;
  EXPECT_THAT(stderr_of_resolve(&s), HasSubstr("/nonexistent/hoptrace/key.pem"));
  EXPECT_EQ(s.certificate_file, path);
  EXPECT_EQ(s.client_certificate_file, path);
  EXPECT_TRUE(s.client_key_file.empty());
  ::unlink(path);
}

TEST(OtlpConfig, RetryPolicyAndRequestLimitAreValidated) {
  EnvGuard env;
  OtlpHttpExporterOptions o;
  o.retry.initial_backoff = std::chrono::milliseconds(0);
  EXPECT_THROW(Settings::resolve(o), ConfigError);
  o.retry = {};
  o.retry.multiplier = 0.5;
  EXPECT_THROW(Settings::resolve(o), ConfigError);
  o.retry = {};
  o.max_request_bytes = (64u << 20) + 1;
  EXPECT_THROW(Settings::resolve(o), ConfigError);
}

TEST(OtlpEnvironmentFactory, SdkDisabledAndTracesExporterChooseTheExporter) {
  EnvGuard env;
  auto otlp = make_exporter_from_environment();
  ASSERT_NE(otlp, nullptr);
  EXPECT_NE(dynamic_cast<OtlpHttpExporter*>(otlp.get()), nullptr);
  env.set("OTEL_TRACES_EXPORTER", "none");
  EXPECT_EQ(make_exporter_from_environment(), nullptr);
  env.set("OTEL_TRACES_EXPORTER", "console");
  auto console = make_exporter_from_environment();
  ASSERT_NE(console, nullptr);
  EXPECT_EQ(dynamic_cast<OtlpHttpExporter*>(console.get()), nullptr);
  env.set("OTEL_TRACES_EXPORTER", "otlp");
  env.set("OTEL_SDK_DISABLED", "TRUE");
  EXPECT_EQ(make_exporter_from_environment(), nullptr);
  env.set("OTEL_SDK_DISABLED", "yes");  // only "true" is true
  EXPECT_NE(make_exporter_from_environment(), nullptr);
}

TEST(OtlpEnvironmentFactory, AddExporterIfConfiguredNeedsAnEndpoint) {
  EnvGuard env;
  sdk::TracerProvider provider;
  EXPECT_FALSE(add_exporter_if_configured(provider));
  env.set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1");
  env.set("OTEL_SDK_DISABLED", "true");
  EXPECT_FALSE(add_exporter_if_configured(provider));
  env.set("OTEL_SDK_DISABLED", "false");
  env.set("OTEL_TRACES_EXPORTER", "none");
  EXPECT_FALSE(add_exporter_if_configured(provider));
  env.set("OTEL_TRACES_EXPORTER", "otlp");
  EXPECT_TRUE(add_exporter_if_configured(provider));
}

TEST(OtlpDropSummary, OneLineWithEveryReasonOnlyWhenSomethingWasDropped) {
  sdk::ProcessorStats s;
  s.exported = 90;
  EXPECT_EQ(format_drop_summary("otlp_http", s), "");
  s.dropped_queue_full = 4;
  s.dropped_rejected = 3;
  s.dropped_failed = 2;
  s.dropped_too_large = 1;
  EXPECT_EQ(format_drop_summary("otlp_http", s),
            "otlp_http: 10 of 100 spans dropped (queue full 4, rejected 3, failed after retries "
            "2, too large 1, after shutdown 0)");
}

}  // namespace
}  // namespace hoptrace::otlp
