#pragma once

#include <string>
#include <string_view>

#include "hoptrace/core/array_view.h"
#include "hoptrace/core/sdk/span_data.h"

namespace hoptrace::sdk {

/// Appends one OTLP `ExportTraceServiceRequest` in the OTLP/JSON encoding to `out` (spec.md
/// §8.2): spans grouped by Resource, then by InstrumentationScope, both in first-seen order
/// (grouping is by pointer identity, as the TracerProvider owns one of each); ids as lowercase
/// hex; enums as integers; 64-bit integers as decimal strings; non-finite doubles as "NaN",
/// "Infinity", "-Infinity"; strings escaped so the output is always valid JSON (invalid UTF-8
/// becomes U+FFFD). Default-valued fields (empty lists, zero dropped counts, an empty trace
/// state, a root's parentSpanId) are omitted as proto3 JSON allows.
///
/// No newline is appended; nothing is written to `out` before its current end. An empty `spans`
/// yields `{"resourceSpans":[]}`. Spans are only read; null pointers are skipped. Thread-safe
/// (no shared state); allocates only to grow `out` and for the grouping of the batch.
void encode_otlp_json(ArrayView<const SpanData*> spans, std::string& out);

/// Appends `s` as a JSON string literal (with quotes) to `out`, escaping `"`, `\` and control
/// characters and replacing each byte of invalid UTF-8 with U+FFFD.
void append_json_string(std::string_view s, std::string& out);

}  // namespace hoptrace::sdk
