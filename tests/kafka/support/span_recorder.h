#pragma once

// An SDK tracer provider that records every span in memory, for tests that check the spans
// the adapter makes.

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "hoptrace/core/sdk/in_memory_span_exporter.h"
#include "hoptrace/core/sdk/sampler.h"
#include "hoptrace/core/sdk/tracer_provider.h"
#include "hoptrace/core/tracer.h"

namespace hoptrace::kafka::testing {

/// A provider whose spans are exported synchronously (SimpleSpanProcessor) into `spans` as
/// they end; `sampler` null means the provider's default.
struct Recorder {
  std::shared_ptr<sdk::InMemorySpanStore> spans;
  std::shared_ptr<sdk::TracerProvider> provider;
  std::shared_ptr<Tracer> tracer;

  explicit Recorder(std::shared_ptr<sdk::Sampler> sampler = nullptr);

  /// Every recorded span named `name`, once at least `count` exist (or after 10 s): spans end
  /// on librdkafka's threads (delivery reports), after the call that caused them returns.
  std::vector<sdk::SpanData> wait_for(std::string_view name, std::size_t count = 1) const;
};

}  // namespace hoptrace::kafka::testing
