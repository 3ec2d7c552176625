#pragma once

#include <string_view>

namespace hoptrace::kafka {

/// The instrumentation scope name of the spans this adapter starts (OTLP `scope.name`).
inline constexpr std::string_view kInstrumentationName = "hoptrace.kafka";
/// The adapter's version (OTLP `scope.version`).
inline constexpr std::string_view kVersion = "0.1.0";

}  // namespace hoptrace::kafka
