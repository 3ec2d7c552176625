#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "hoptrace/core/sdk/batch_span_processor.h"
#include "hoptrace/core/sdk/span_exporter.h"
#include "hoptrace/core/sdk/span_processor.h"
#include "hoptrace/core/sdk/tracer_provider.h"

namespace hoptrace::otlp {

/// The exporter the environment asks for: nullptr when `OTEL_SDK_DISABLED` is `true`
/// (case-insensitive); otherwise per `OTEL_TRACES_EXPORTER` (read by
/// sdk::traces_exporter_kind_from_environment): `otlp`, the default, gives an OtlpHttpExporter
/// configured from `OTEL_EXPORTER_OTLP_*`; `console` and `none` are left to
/// sdk::exporter_from_environment() (JSON lines on stdout, or nullptr). Throws ConfigError
/// only for what OtlpHttpExporter's constructor throws for.
std::unique_ptr<sdk::SpanExporter> make_exporter_from_environment();

/// A BatchSpanProcessor over `exporter` (not null) that, when it shuts down, writes one line
/// on stderr if any span was dropped, e.g.
/// `hoptrace: otlp_http: 1200 of 5000 spans dropped (queue full 1000, rejected 0, failed
/// after retries 200, too large 0, after shutdown 0)`. Everything else is the
/// BatchSpanProcessor's behaviour, stats included.
std::unique_ptr<sdk::SpanProcessor> make_batch_processor(
    std::unique_ptr<sdk::SpanExporter> exporter,
    const sdk::BatchSpanProcessorOptions& options = {});

/// The one-call set-up for applications: when `OTEL_EXPORTER_OTLP_ENDPOINT` or
/// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set, `OTEL_SDK_DISABLED` is not `true` and
/// `OTEL_TRACES_EXPORTER` is `otlp` (or unset), adds make_batch_processor(OtlpHttpExporter)
/// to `provider` and returns true; otherwise adds nothing and returns false. Call it once at
/// start-up, before spans are created. Throws ConfigError as OtlpHttpExporter does.
bool add_exporter_if_configured(sdk::TracerProvider& provider);

/// The summary line make_batch_processor writes (without the `hoptrace: ` prefix and newline);
/// empty when nothing was dropped.
std::string format_drop_summary(std::string_view exporter_name, const sdk::ProcessorStats& stats);

}  // namespace hoptrace::otlp
