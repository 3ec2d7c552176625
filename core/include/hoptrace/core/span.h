#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <utility>

#include "hoptrace/core/array_view.h"
#include "hoptrace/core/attribute.h"
#include "hoptrace/core/span_context.h"

namespace hoptrace {

/// Wall-clock time in nanoseconds since the Unix epoch (what OTLP carries).
using Timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::nanoseconds>;

/// Values match OTLP's SpanKind numbers.
enum class SpanKind : std::uint8_t {
  kInternal = 1,
  kServer = 2,
  kClient = 3,
  kProducer = 4,
  kConsumer = 5,
};

/// Values match OTLP's Status.code numbers.
enum class StatusCode : std::uint8_t { kUnset = 0, kOk = 1, kError = 2 };

/// A reference from one span to another span's context (e.g. a consumer span to each message's
/// creation context), with attributes of its own. Borrowed for the duration of the call.
struct Link {
  SpanContext context;
  ArrayView<Attribute> attributes;
};

/// The SDK side of a recording span. An SDK implements it; users never call it directly.
/// Every method is called from the thread that owns the Span handle. After end() the recorder
/// belongs to the SDK again and the handle forgets it.
class SpanRecorder {
 public:
  virtual void set_attribute(std::string_view key, AttributeValue value) noexcept = 0;
  virtual void add_event(std::string_view name, ArrayView<Attribute> attributes,
                         Timestamp time) noexcept = 0;
  virtual void add_link(const SpanContext& context, ArrayView<Attribute> attributes) noexcept = 0;
  virtual void set_status(StatusCode code, std::string_view description) noexcept = 0;
  virtual void update_name(std::string_view name) noexcept = 0;
  /// `time` zero means now.
  virtual void end(Timestamp time) noexcept = 0;

 protected:
  ~SpanRecorder() = default;
};

/// A handle to one span: move-only, owned by the code doing the traced work.
///
/// A span that is not sampled (or not recorded for any reason) is just its SpanContext: every
/// call below is an inlined no-op and nothing is allocated. Destroying a handle that has not
/// been ended ends it (RAII); ending twice does nothing.
///
/// Thread-safety: a Span handle is used by one thread at a time (it may be moved between
/// threads); its context() may be copied freely.
class Span {
 public:
  Span() noexcept = default;
  Span(SpanContext context, SpanRecorder* recorder) noexcept
      : context_(std::move(context)), recorder_(recorder) {}
  /// Builds the context in place from its parts, as the matching SpanContext constructor does.
  /// For SDKs: a span start that passes a finished SpanContext pays for copying its 128 bytes
  /// twice more.
  Span(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags, bool is_remote,
       const TraceState& trace_state, SpanRecorder* recorder) noexcept
      : context_(trace_id, span_id, flags, is_remote, trace_state), recorder_(recorder) {}
  Span(Span&& other) noexcept
      : context_(std::move(other.context_)), recorder_(std::exchange(other.recorder_, nullptr)) {}
  Span& operator=(Span&& other) noexcept {
    if (this != &other) {
      end();
      context_ = std::move(other.context_);
      recorder_ = std::exchange(other.recorder_, nullptr);
    }
    return *this;
  }
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;
  ~Span() { end(); }

  /// The context to propagate and to use as a parent or link target. Valid even when the span
  /// is not recording (an unsampled span still carries its trace).
  const SpanContext& context() const noexcept { return context_; }
  /// True until end() for spans the SDK records.
  bool is_recording() const noexcept { return recorder_ != nullptr; }

  Span& set_attribute(std::string_view key, AttributeValue value) noexcept {
    if (recorder_ != nullptr) recorder_->set_attribute(key, value);
    return *this;
  }
  Span& add_event(std::string_view name, ArrayView<Attribute> attributes = {},
                  Timestamp time = {}) noexcept {
    if (recorder_ != nullptr) recorder_->add_event(name, attributes, time);
    return *this;
  }
  /// Links added after start are not visible to the sampler; pass them at start when possible.
  Span& add_link(const SpanContext& context, ArrayView<Attribute> attributes = {}) noexcept {
    if (recorder_ != nullptr) recorder_->add_link(context, attributes);
    return *this;
  }
  Span& set_status(StatusCode code, std::string_view description = {}) noexcept {
    if (recorder_ != nullptr) recorder_->set_status(code, description);
    return *this;
  }
  Span& update_name(std::string_view name) noexcept {
    if (recorder_ != nullptr) recorder_->update_name(name);
    return *this;
  }
  /// Records an `exception` event (`exception.type`, `exception.message`) and sets the status
  /// to Error with the message as description.
  Span& record_exception(std::string_view type, std::string_view message) noexcept {
    if (recorder_ != nullptr) {
      recorder_->add_event("exception", {{"exception.type", type}, {"exception.message", message}},
                           {});
      recorder_->set_status(StatusCode::kError, message);
    }
    return *this;
  }
  /// Ends the span now (or at `time`); further calls do nothing.
  void end(Timestamp time = {}) noexcept {
    if (recorder_ != nullptr) std::exchange(recorder_, nullptr)->end(time);
  }

 private:
  SpanContext context_;
  SpanRecorder* recorder_ = nullptr;
};

}  // namespace hoptrace
