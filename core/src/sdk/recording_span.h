#pragma once

// The SDK's SpanRecorder: records into a SpanData and hands it to the processors at end.

#include <chrono>
#include <memory>

#include "hoptrace/core/span.h"
#include "sdk/provider_state.h"
#include "sdk/span_clock.h"

namespace hoptrace::sdk::detail {

class RecordingSpan final : public SpanRecorder {
 public:
  /// From this thread's cache of ended recorders, or new; null when out of memory.
  static RecordingSpan* acquire() noexcept;

  void begin(const ProviderState* state, const ProcessorList* processors,
             std::unique_ptr<SpanData> data, SpanInstant start) noexcept {
    state_ = state;
    processors_ = processors;
    data_ = std::move(data);
    start_ = start;
  }

  void set_attribute(std::string_view key, AttributeValue value) noexcept override;
  void add_event(std::string_view name, ArrayView<Attribute> attributes,
                 Timestamp time) noexcept override;
  void add_link(const SpanContext& context, ArrayView<Attribute> attributes) noexcept override;
  void set_status(StatusCode code, std::string_view description) noexcept override;
  void update_name(std::string_view name) noexcept override;
  void end(Timestamp time) noexcept override;

  /// Shared by start-time links and add_link.
  static void record_link(SpanData& data, const SpanLimits& limits, const SpanContext& context,
                          ArrayView<Attribute> attributes) noexcept;

 private:
  friend struct RecorderCache;
  RecordingSpan() noexcept = default;
  ~RecordingSpan() = default;

  const ProviderState* state_ = nullptr;
  const ProcessorList* processors_ = nullptr;
  std::unique_ptr<SpanData> data_;
  SpanInstant start_{};
  RecordingSpan* next_idle_ = nullptr;  // links ended recorders in the per-thread cache
};

}  // namespace hoptrace::sdk::detail
