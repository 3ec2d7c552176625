#include "hoptrace/core/sdk/otlp_file_exporter.h"

#include <cerrno>
#include <cstring>

#include "hoptrace/core/error.h"
#include "hoptrace/core/sdk/otlp_json.h"
#include "sdk/export_env.h"

namespace hoptrace::sdk {

OtlpFileExporter::OtlpFileExporter(const std::string& path) : file_(nullptr), owned_(true) {
  file_ = std::fopen(path.c_str(), "a");
  if (file_ == nullptr) {
    const int err = errno;
    throw ConfigError("cannot open '" + path + "' for appending OTLP JSON lines: " +
                          std::strerror(err) + "; check that its directory exists and is writable",
                      err);
  }
}

std::unique_ptr<OtlpFileExporter> OtlpFileExporter::to_stdout() {
  return std::unique_ptr<OtlpFileExporter>(new OtlpFileExporter(stdout, false));
}

OtlpFileExporter::~OtlpFileExporter() {
  if (file_ != nullptr) {
    if (owned_) {
      std::fclose(file_);
    } else {
      std::fflush(file_);
    }
  }
}

ExportResult OtlpFileExporter::export_spans(ArrayView<const SpanData*> spans) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  if (file_ == nullptr) return ExportResult{ExportResult::Status::kFailed, 0};
  if (spans.empty()) return ExportResult::success();
  try {
    buffer_.clear();
    encode_otlp_json(spans, buffer_);
    buffer_.push_back('\n');
  } catch (...) {  // out of memory while encoding
    return ExportResult{ExportResult::Status::kFailed, 0};
  }
  const std::size_t written = std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
  const bool flushed = std::fflush(file_) == 0;
  if (written != buffer_.size() || !flushed) {
    std::clearerr(file_);  // so a later export (after the disk is freed) can succeed
    return ExportResult{ExportResult::Status::kFailed, 0};
  }
  return ExportResult::success();
}

bool OtlpFileExporter::force_flush(Deadline deadline) noexcept {
  (void)deadline;
  std::lock_guard<std::mutex> lock(mutex_);
  return file_ == nullptr || std::fflush(file_) == 0;
}

bool OtlpFileExporter::shutdown(Deadline deadline) noexcept {
  (void)deadline;
  std::lock_guard<std::mutex> lock(mutex_);
  if (file_ == nullptr) return true;
  const bool ok = owned_ ? std::fclose(file_) == 0 : std::fflush(file_) == 0;
  file_ = nullptr;
  return ok;
}

namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

TracesExporterKind traces_exporter_kind_from_environment() {
  const auto raw = export_env::value("OTEL_TRACES_EXPORTER");
  if (!raw) return TracesExporterKind::kOtlp;
  std::string_view list = *raw;
  const std::size_t comma = list.find(',');
  const std::string_view first = export_env::trim(list.substr(0, comma));
  if (comma != std::string_view::npos) {
    export_env::warn("OTEL_TRACES_EXPORTER='" + *raw + "' names several exporters; only '" +
                     std::string(first) + "' is used");
  }
  if (iequals(first, "otlp")) return TracesExporterKind::kOtlp;
  if (iequals(first, "console")) return TracesExporterKind::kConsole;
  if (iequals(first, "none")) return TracesExporterKind::kNone;
  export_env::warn("OTEL_TRACES_EXPORTER='" + *raw +
                   "' is not one of otlp, console, none; using otlp");
  return TracesExporterKind::kOtlp;
}

std::unique_ptr<SpanExporter> exporter_from_environment() {
  switch (traces_exporter_kind_from_environment()) {
    case TracesExporterKind::kConsole:
      return OtlpFileExporter::to_stdout();
    case TracesExporterKind::kNone:
    case TracesExporterKind::kOtlp:
      break;
  }
  return nullptr;
}

}  // namespace hoptrace::sdk
