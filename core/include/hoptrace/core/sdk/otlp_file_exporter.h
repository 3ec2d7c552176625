#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "hoptrace/core/sdk/span_exporter.h"

namespace hoptrace::sdk {

/// Writes each batch as one OTLP/JSON `ExportTraceServiceRequest` on one line (JSON lines),
/// the format the OpenTelemetry Collector's file exporter writes and its otlpjsonfile receiver
/// reads, to a file or to stdout. The stream is flushed after every export.
///
/// A failed write makes that export return kFailed (the processor counts the spans as
/// dropped_failed); the next export tries again. After shutdown, exports return kFailed.
///
/// Thread-safety: export_spans is called by one processor thread at a time (SpanExporter
/// contract); shutdown may race with it safely.
class OtlpFileExporter final : public SpanExporter {
 public:
  /// Appends to `path`, creating the file if needed (not its directories). Throws ConfigError
  /// naming the path and the system's reason when it cannot be opened.
  explicit OtlpFileExporter(const std::string& path);
  /// Writes to the process's stdout (not closed by this exporter).
  static std::unique_ptr<OtlpFileExporter> to_stdout();
  ~OtlpFileExporter() override;

  OtlpFileExporter(const OtlpFileExporter&) = delete;
  OtlpFileExporter& operator=(const OtlpFileExporter&) = delete;

  /// Writes one JSON line for the batch and flushes; kFailed on a write error or after
  /// shutdown. An empty batch writes nothing.
  ExportResult export_spans(ArrayView<const SpanData*> spans) noexcept override;
  /// Flushes the stream.
  bool force_flush(Deadline deadline) noexcept override;
  /// Flushes and closes the file.
  bool shutdown(Deadline deadline) noexcept override;
  /// "otlp_file".
  std::string_view name() const noexcept override { return "otlp_file"; }

 private:
  OtlpFileExporter(std::FILE* file, bool owned) noexcept : file_(file), owned_(owned) {}

  std::mutex mutex_;    // guards file_ against a shutdown racing an export
  std::FILE* file_;     // null after shutdown
  bool owned_;          // false for stdout
  std::string buffer_;  // reused across exports
};

/// The exporters OTEL_TRACES_EXPORTER can name.
enum class TracesExporterKind {
  kOtlp,     ///< OTLP/HTTP (hoptrace::otlp), the default
  kConsole,  ///< JSON lines on stdout
  kNone,     ///< no exporter
};

/// Reads OTEL_TRACES_EXPORTER (case-insensitive; unset or empty = `otlp`). For a list, the
/// first entry is used and the rest ignored with a warning; an unknown value is warned about
/// and the default `otlp` used.
TracesExporterKind traces_exporter_kind_from_environment();

/// The exporter OTEL_TRACES_EXPORTER asks for: `console` = OtlpFileExporter::to_stdout()
/// (JSON lines on stdout); `none` = nullptr (export nothing). `otlp` (the default) also
/// returns nullptr for now: the OTLP/HTTP exporter lives in hoptrace::otlp and is created by
/// its own factory; check traces_exporter_kind_from_environment() to tell the two apart.
std::unique_ptr<SpanExporter> exporter_from_environment();

}  // namespace hoptrace::sdk
