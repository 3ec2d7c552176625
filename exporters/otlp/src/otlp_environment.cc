#include "hoptrace/otlp/otlp_environment.h"

#include <atomic>
#include <chrono>

#include "env.h"
#include "hoptrace/core/error.h"
#include "hoptrace/core/sdk/otlp_file_exporter.h"
#include "hoptrace/otlp/otlp_http_exporter.h"

namespace hoptrace::otlp {
namespace {

// Forwards to a BatchSpanProcessor and reports its drops once it has shut down. The summary is
// written here rather than by the exporter because only the processor sees every reason
// (a full queue never reaches the exporter).
class SummarizingProcessor final : public sdk::SpanProcessor {
 public:
  SummarizingProcessor(std::unique_ptr<sdk::SpanExporter> exporter,
                       const sdk::BatchSpanProcessorOptions& options)
      : name_(exporter ? std::string(exporter->name()) : std::string()),
        otlp_(dynamic_cast<OtlpHttpExporter*>(exporter.get())),
        inner_(std::move(exporter), options) {}

  ~SummarizingProcessor() override {
    const auto deadline = std::chrono::steady_clock::now() + inner_.settings().export_timeout;
    shutdown(deadline);
  }

  void on_start(sdk::SpanData& span, const Context& parent) noexcept override {
    inner_.on_start(span, parent);
  }
  void on_end(std::unique_ptr<sdk::SpanData> span) noexcept override {
    inner_.on_end(std::move(span));
  }
  bool force_flush(sdk::Deadline deadline) noexcept override {
    return inner_.force_flush(deadline);
  }
  bool shutdown(sdk::Deadline deadline) noexcept override {
    // The processor waits for the export in progress; capping the exporter keeps a receiver
    // that is down from stretching shutdown past its deadline by a whole export timeout.
    if (otlp_ != nullptr && !reported_.load()) otlp_->set_shutdown_deadline(deadline);
    const bool ok = inner_.shutdown(deadline);
    if (!reported_.exchange(true)) {
      try {
        const std::string line = format_drop_summary(name_, inner_.stats());
        if (!line.empty()) env::warn(line);
      } catch (...) {
        // Formatting failed for lack of memory; the counts stay readable through stats().
      }
    }
    return ok;
  }
  sdk::ProcessorStats stats() const noexcept override { return inner_.stats(); }

 private:
  std::string name_;
  OtlpHttpExporter* otlp_;  // owned by inner_, which outlives every use
  sdk::BatchSpanProcessor inner_;
  std::atomic<bool> reported_{false};
};

}  // namespace

std::unique_ptr<sdk::SpanExporter> make_exporter_from_environment() {
  if (env::is_true("OTEL_SDK_DISABLED")) return nullptr;
  if (sdk::traces_exporter_kind_from_environment() == sdk::TracesExporterKind::kOtlp) {
    return std::make_unique<OtlpHttpExporter>();
  }
  return sdk::exporter_from_environment();
}

std::unique_ptr<sdk::SpanProcessor> make_batch_processor(
    std::unique_ptr<sdk::SpanExporter> exporter, const sdk::BatchSpanProcessorOptions& options) {
  if (!exporter) throw ConfigError("hoptrace otlp: make_batch_processor needs an exporter");
  return std::make_unique<SummarizingProcessor>(std::move(exporter), options);
}

bool add_exporter_if_configured(sdk::TracerProvider& provider) {
  if (env::is_true("OTEL_SDK_DISABLED")) return false;
  if (!env::value("OTEL_EXPORTER_OTLP_ENDPOINT") &&
      !env::value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) {
    return false;
  }
  if (sdk::traces_exporter_kind_from_environment() != sdk::TracesExporterKind::kOtlp) {
    return false;
  }
  provider.add_processor(make_batch_processor(std::make_unique<OtlpHttpExporter>()));
  return true;
}

std::string format_drop_summary(std::string_view exporter_name, const sdk::ProcessorStats& s) {
  const std::uint64_t dropped = s.dropped();
  if (dropped == 0) return {};
  std::string line(exporter_name);
  line.append(": ")
      .append(std::to_string(dropped))
      .append(" of ")
      .append(std::to_string(dropped + s.exported))
      .append(" spans dropped (queue full ")
      .append(std::to_string(s.dropped_queue_full))
      .append(", rejected ")
      .append(std::to_string(s.dropped_rejected))
      .append(", failed after retries ")
      .append(std::to_string(s.dropped_failed))
      .append(", too large ")
      .append(std::to_string(s.dropped_too_large))
      .append(", after shutdown ")
      .append(std::to_string(s.dropped_shutdown))
      .append(")");
  return line;
}

}  // namespace hoptrace::otlp
