#include "span_recorder.h"

#include <chrono>
#include <thread>
#include <utility>

#include "hoptrace/core/sdk/simple_span_processor.h"

namespace hoptrace::kafka::testing {

Recorder::Recorder(std::shared_ptr<sdk::Sampler> sampler) {
  sdk::TracerProviderOptions options;
  options.sampler = std::move(sampler);
  provider = std::make_shared<sdk::TracerProvider>(std::move(options));
  auto exporter = std::make_unique<sdk::InMemorySpanExporter>();
  spans = exporter->store();
  provider->add_processor(std::make_unique<sdk::SimpleSpanProcessor>(std::move(exporter)));
  tracer = provider->get_tracer("test");
}

std::vector<sdk::SpanData> Recorder::wait_for(std::string_view name, std::size_t count) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    auto found = spans->find_all(name);
    if (found.size() >= count || std::chrono::steady_clock::now() > deadline) return found;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace hoptrace::kafka::testing
