#include "hoptrace/core/sdk/otlp_file_exporter.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "hoptrace/core/error.h"
#include "hoptrace/core/sdk/batch_span_processor.h"
#include "support/scoped_env.h"
#include "unit/sdk/test_spans.h"

namespace hoptrace::sdk {
namespace {

using nlohmann::json;
using testing::make_span;
using hoptrace::testing::ScopedEnv;

Deadline soon() { return std::chrono::steady_clock::now() + std::chrono::seconds(20); }

class TempFile {
 public:
  TempFile() {
    std::string tmpl = ::testing::TempDir() + "hoptrace_otlp_XXXXXX";
    const int fd = ::mkstemp(tmpl.data());
    if (fd >= 0) ::close(fd);
    path_ = tmpl;
  }
  ~TempFile() { ::unlink(path_.c_str()); }
  const std::string& path() const { return path_; }
  std::vector<std::string> lines() const {
    std::ifstream in(path_);
    std::vector<std::string> result;
    for (std::string line; std::getline(in, line);) result.push_back(line);
    return result;
  }

 private:
  std::string path_;
};

ExportResult export_one(SpanExporter& exporter, const SpanData& span) {
  const SpanData* batch[] = {&span};
  return exporter.export_spans(ArrayView<const SpanData*>(batch));
}

TEST(OtlpFileExporterTest, WritesOneRequestPerLineAndAppends) {
  TempFile file;
  { std::ofstream(file.path()) << "{\"existing\":true}\n"; }
  OtlpFileExporter exporter(file.path());
  constexpr int kExports = 5;
  for (int i = 0; i < kExports; ++i) {
    auto a = make_span("a" + std::to_string(i), static_cast<std::uint64_t>(2 * i));
    auto b = make_span("b" + std::to_string(i), static_cast<std::uint64_t>(2 * i + 1));
    const SpanData* batch[] = {a.get(), b.get()};
    ASSERT_EQ(exporter.export_spans(ArrayView<const SpanData*>(batch)).status,
              ExportResult::Status::kSuccess);
    // Flushed per export: readable before shutdown.
    EXPECT_EQ(file.lines().size(), static_cast<std::size_t>(i + 2));
  }
  EXPECT_TRUE(exporter.shutdown(soon()));
  const std::vector<std::string> lines = file.lines();
  ASSERT_EQ(lines.size(), kExports + 1u);
  EXPECT_EQ(lines[0], "{\"existing\":true}");
  for (int i = 0; i < kExports; ++i) {
    const json j = json::parse(lines[static_cast<std::size_t>(i) + 1]);
    const json& spans = j.at("resourceSpans").at(0).at("scopeSpans").at(0).at("spans");
    ASSERT_EQ(spans.size(), 2u);
    EXPECT_EQ(spans[0].at("name"), "a" + std::to_string(i));
    EXPECT_EQ(spans[1].at("name"), "b" + std::to_string(i));
  }
}

TEST(OtlpFileExporterTest, WorksBehindABatchProcessor) {
  TempFile file;
  {
    BatchSpanProcessorOptions o;
    o.max_export_batch_size = 10;
    o.max_queue_size = 100;
    o.schedule_delay = std::chrono::hours(1);
    BatchSpanProcessor p(std::make_unique<OtlpFileExporter>(file.path()), o);
    for (int i = 0; i < 25; ++i) p.on_end(make_span("s", static_cast<std::uint64_t>(i)));
    ASSERT_TRUE(p.shutdown(soon()));
    EXPECT_EQ(p.stats().exported, 25u);
  }
  std::size_t spans = 0;
  for (const std::string& line : file.lines()) {
    spans += json::parse(line)["resourceSpans"][0]["scopeSpans"][0]["spans"].size();
  }
  EXPECT_EQ(spans, 25u);
}

TEST(OtlpFileExporterTest, UnopenablePathIsAConfigErrorNamingIt) {
  const std::string path = ::testing::TempDir() + "no_such_dir_hoptrace/traces.jsonl";
  try {
    OtlpFileExporter exporter(path);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("directory"), std::string::npos) << e.what();
  }
}

TEST(OtlpFileExporterTest, WriteErrorFailsTheExportAndTheProcessorCountsIt) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "/dev/full is not available";
  BatchSpanProcessorOptions o;
  o.schedule_delay = std::chrono::hours(1);
  BatchSpanProcessor p(std::make_unique<OtlpFileExporter>("/dev/full"), o);
  for (int i = 0; i < 3; ++i) p.on_end(make_span("s"));
  ASSERT_TRUE(p.force_flush(soon()));
  EXPECT_EQ(p.stats().dropped_failed, 3u);
  EXPECT_EQ(p.stats().exported, 0u);
}

TEST(OtlpFileExporterTest, ExportAfterShutdownFails) {
  TempFile file;
  OtlpFileExporter exporter(file.path());
  EXPECT_TRUE(exporter.shutdown(soon()));
  EXPECT_TRUE(exporter.shutdown(soon()));
  EXPECT_EQ(export_one(exporter, *make_span("late")).status, ExportResult::Status::kFailed);
  EXPECT_TRUE(file.lines().empty());
}

TEST(OtlpFileExporterTest, StdoutExporterWritesJsonLines) {
  auto exporter = OtlpFileExporter::to_stdout();
  ::testing::internal::CaptureStdout();
  const ExportResult r = export_one(*exporter, *make_span("to stdout"));
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(r.status, ExportResult::Status::kSuccess);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(json::parse(out)["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["name"], "to stdout");
}

TEST(TracesExporterEnvTest, SelectsConsoleNoneAndOtlp) {
  {
    ScopedEnv env("OTEL_TRACES_EXPORTER", std::nullopt);
    EXPECT_EQ(traces_exporter_kind_from_environment(), TracesExporterKind::kOtlp);
    EXPECT_EQ(exporter_from_environment(), nullptr);
  }
  {
    ScopedEnv env("OTEL_TRACES_EXPORTER", "");
    EXPECT_EQ(traces_exporter_kind_from_environment(), TracesExporterKind::kOtlp);
  }
  {
    ScopedEnv env("OTEL_TRACES_EXPORTER", " Console ");
    EXPECT_EQ(traces_exporter_kind_from_environment(), TracesExporterKind::kConsole);
    auto exporter = exporter_from_environment();
    ASSERT_NE(exporter, nullptr);
    EXPECT_EQ(exporter->name(), "otlp_file");
  }
  {
    ScopedEnv env("OTEL_TRACES_EXPORTER", "none");
    EXPECT_EQ(traces_exporter_kind_from_environment(), TracesExporterKind::kNone);
    EXPECT_EQ(exporter_from_environment(), nullptr);
  }
}

TEST(TracesExporterEnvTest, UnknownValuesAndListsAreWarnedAbout) {
  {
    ScopedEnv env("OTEL_TRACES_EXPORTER", "zipkin");
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(traces_exporter_kind_from_environment(), TracesExporterKind::kOtlp);
    EXPECT_NE(::testing::internal::GetCapturedStderr().find("zipkin"), std::string::npos);
  }
  {
    ScopedEnv env("OTEL_TRACES_EXPORTER", "console,otlp");
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(traces_exporter_kind_from_environment(), TracesExporterKind::kConsole);
    EXPECT_NE(::testing::internal::GetCapturedStderr().find("only 'console'"), std::string::npos);
  }
}

}  // namespace
}  // namespace hoptrace::sdk
