#pragma once

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoptrace/core/messaging/consumer_trace_policy.h"
#include "hoptrace/core/propagation/propagation.h"
#include "hoptrace/core/span_context.h"
#include "hoptrace/core/tracer.h"
#include "hoptrace/kafka/headers_carrier.h"

namespace hoptrace::kafka {

/// How a TracedConsumer traces. Defaults suit most users.
struct ConsumerOptions {
  /// Starts the spans. Null: `global_tracer_provider()->get_tracer("hoptrace.kafka")`, fetched
  /// once at construction.
  std::shared_ptr<Tracer> tracer;
  /// What to extract. Null: Propagation::global() (OTEL_PROPAGATORS). Borrowed: it must outlive
  /// the consumer.
  const Propagation* propagation = nullptr;
  /// Parent or link (docs/consumer-trace-policy.md). Unset: ConsumerTracePolicy::from_environment()
  /// (HOPTRACE_CONSUMER_TRACE_POLICY; adaptive by default).
  std::optional<messaging::ConsumerTracePolicy> policy;
  /// How trace header names are matched.
  KeyMatch header_match = KeyMatch::kExact;
  /// The most links a batch receive span gets (OTEL_SPAN_LINK_COUNT_LIMIT's default); further
  /// messages are still delivered, their links counted as dropped.
  std::size_t max_batch_links = 128;
};

class TracedConsumer;
namespace detail {
struct ProcessSlot;
struct ConsumerCore;
}  // namespace detail

/// One consumed message and its process scope (CONSUMER `process {topic}`), returned by
/// TracedConsumer::poll() or a MessageBatch.
///
/// While the handle lives, the process span is the ambient span on the polling thread (spans
/// the handler starts nest under it, and a message produced from the handler continues the
/// trace). The span ends at the first of: the handle's destruction, end(), the next poll or
/// batch message, or TracedConsumer::commit() of this message. Events and errors librdkafka
/// reports through poll (err != 0, e.g. partition EOF) get no span.
///
/// The message bytes are exactly what the broker delivered: hoptrace never modifies a consumed
/// message. Move-only; must be used and destroyed on the thread that polled it, and must not
/// outlive its consumer (nor, for a batch message, its MessageBatch).
class ConsumedMessage {
 public:
  ConsumedMessage() noexcept = default;
  ConsumedMessage(ConsumedMessage&& other) noexcept;
  ConsumedMessage& operator=(ConsumedMessage&& other) noexcept;
  ConsumedMessage(const ConsumedMessage&) = delete;
  ConsumedMessage& operator=(const ConsumedMessage&) = delete;
  /// Ends the process scope if it is still open and destroys the message (if owned).
  ~ConsumedMessage();

  /// False when poll timed out.
  explicit operator bool() const noexcept { return message_ != nullptr; }
  /// The librdkafka message; null when poll timed out. Lives as long as this handle.
  rd_kafka_message_t* get() const noexcept { return message_; }
  rd_kafka_message_t* operator->() const noexcept { return message_; }

  /// librdkafka's error for this message (RD_KAFKA_RESP_ERR_NO_ERROR for a real message).
  rd_kafka_resp_err_t error() const noexcept;
  /// The topic name; empty when unknown. Lives as long as this handle.
  std::string_view topic() const noexcept;
  std::int32_t partition() const noexcept;
  std::int64_t offset() const noexcept;
  /// The value bytes (empty view for a tombstone: see is_tombstone()).
  std::string_view payload() const noexcept;
  std::string_view key() const noexcept;
  bool is_tombstone() const noexcept;
  /// The message's headers, read in place.
  HeadersReader headers() const noexcept;

  /// The process span's context (valid even when it is not sampled); invalid after end().
  const SpanContext& span_context() const noexcept;
  /// The creation context the message carried (invalid when it carried none, or a malformed
  /// one).
  const SpanContext& creation_context() const noexcept;
  /// Records an attribute on the process span, while it is open.
  void set_attribute(std::string_view key, AttributeValue value) noexcept;
  /// Marks the processing as failed: `error.type` = `error_type` (low-cardinality), status
  /// Error with `description`.
  void set_error(std::string_view error_type, std::string_view description = {}) noexcept;
  /// Ends the process span and restores the previous ambient context; the message stays.
  void end() noexcept;

  /// Gives up the message: the caller now owns it (rd_kafka_message_destroy). Ends the span.
  /// Null for a batch message (its batch owns it).
  rd_kafka_message_t* release() noexcept;

 private:
  friend struct detail::ConsumerCore;
  ConsumedMessage(rd_kafka_message_t* message, bool owned, detail::ProcessSlot* slot,
                  std::uint64_t generation) noexcept
      : message_(message), owned_(owned), slot_(slot), generation_(generation) {}
  bool is_current() const noexcept;
  void reset() noexcept;

  rd_kafka_message_t* message_ = nullptr;
  bool owned_ = false;
  detail::ProcessSlot* slot_ = nullptr;
  std::uint64_t generation_ = 0;
};

/// The messages of one TracedConsumer::consume_batch() call. The batch's CLIENT `poll` span
/// (one link per message, with partition and offset) has already ended when you get it;
/// iterating opens a process scope per message in turn:
/// \code
///   auto batch = consumer.consume_batch(500, 100);
///   for (ConsumedMessage message : batch) handle(message);   // one process span each
/// \endcode
/// Owns the messages (destroyed with the batch). Move-only; same thread rules as
/// ConsumedMessage.
class MessageBatch {
 public:
  MessageBatch() noexcept = default;
  MessageBatch(MessageBatch&&) noexcept;
  MessageBatch& operator=(MessageBatch&&) noexcept;
  MessageBatch(const MessageBatch&) = delete;
  MessageBatch& operator=(const MessageBatch&) = delete;
  ~MessageBatch();

  std::size_t size() const noexcept { return messages_.size(); }
  bool empty() const noexcept { return messages_.empty(); }
  /// The raw message `index` (no span).
  rd_kafka_message_t* raw(std::size_t index) const noexcept { return messages_[index]; }
  /// Opens the process scope of message `index` (ending the previous message's) and returns
  /// its handle, which borrows the message from this batch.
  ConsumedMessage process(std::size_t index) noexcept;
  /// The receive span's context.
  const SpanContext& receive_context() const noexcept { return receive_context_; }

  /// Input iterator yielding process(i) for each message in order.
  class Iterator {
   public:
    Iterator(MessageBatch* batch, std::size_t index) noexcept : batch_(batch), index_(index) {}
    ConsumedMessage operator*() const noexcept { return batch_->process(index_); }
    Iterator& operator++() noexcept {
      ++index_;
      return *this;
    }
    bool operator!=(const Iterator& other) const noexcept { return index_ != other.index_; }

   private:
    MessageBatch* batch_;
    std::size_t index_;
  };
  Iterator begin() noexcept { return Iterator(this, 0); }
  Iterator end() noexcept { return Iterator(this, messages_.size()); }

 private:
  friend struct detail::ConsumerCore;
  friend class TracedConsumer;
  std::vector<rd_kafka_message_t*> messages_;
  std::vector<SpanContext> creation_contexts_;
  SpanContext receive_context_;
  detail::ConsumerCore* consumer_ = nullptr;
};

/// Process-wide consumer counters since start (relaxed atomics).
struct ConsumerStats {
  /// Messages whose trace headers could not be used (malformed, duplicated, foreign): they were
  /// delivered unchanged and their process span started a new trace. The per-format reasons are
  /// in hoptrace::propagation_stats().
  std::uint64_t messages_with_rejected_context = 0;
};
ConsumerStats consumer_stats() noexcept;

/// A librdkafka high-level (subscribing) consumer that traces what it delivers.
///
/// Thread-safety: like the librdkafka consumer it wraps, one polling thread at a time; the
/// ambient-span handling assumes poll, handles and commit stay on that thread.
class TracedConsumer {
 public:
  /// Creates and owns a high-level consumer from `conf` (taken, as rd_kafka_new does, also when
  /// it throws); `group.id` must be set. Redirects the main queue to the consumer queue
  /// (rd_kafka_poll_set_consumer). Throws Error with librdkafka's message when creation fails.
  static TracedConsumer create(rd_kafka_conf_t* conf, ConsumerOptions options = {});
  /// Borrows a consumer created by the caller, which must outlive this object.
  static TracedConsumer wrap(rd_kafka_t* consumer, ConsumerOptions options = {});

  TracedConsumer(TracedConsumer&&) noexcept;
  TracedConsumer& operator=(TracedConsumer&&) noexcept;
  TracedConsumer(const TracedConsumer&) = delete;
  TracedConsumer& operator=(const TracedConsumer&) = delete;
  /// Ends any open process span; closes and destroys an owned consumer.
  ~TracedConsumer();

  /// rd_kafka_subscribe to `topics`.
  rd_kafka_resp_err_t subscribe(const std::vector<std::string>& topics) noexcept;

  /// Ends the previous message's process span, then rd_kafka_consumer_poll. A message gets a
  /// process span (see ConsumedMessage); a timeout gives an empty handle.
  ConsumedMessage poll(int timeout_ms) noexcept;

  /// Up to `max_messages` messages (rd_kafka_consume_batch_queue on the consumer queue) under
  /// one CLIENT `poll` receive span linking to each message (none when nothing arrived).
  MessageBatch consume_batch(std::size_t max_messages, int timeout_ms) noexcept;

  /// Commits `message`'s offset (rd_kafka_commit_message) under a CLIENT `commit {topic}`
  /// settle span, child of the message's process span and linked to its creation context, then
  /// ends the process span. With `async`, the span ends when the request is queued.
  rd_kafka_resp_err_t commit(ConsumedMessage& message, bool async = false) noexcept;
  /// Commits the current assignment's offsets (rd_kafka_commit(NULL)) under a `commit` span.
  rd_kafka_resp_err_t commit(bool async = false) noexcept;

  /// rd_kafka_consumer_close (owned or borrowed), after ending any open process span.
  /// Idempotent.
  rd_kafka_resp_err_t close() noexcept;

  /// The librdkafka handle, for calls this class does not wrap.
  rd_kafka_t* handle() const noexcept;
  /// The policy in use.
  const messaging::ConsumerTracePolicy& policy() const noexcept;

 private:
  explicit TracedConsumer(std::unique_ptr<detail::ConsumerCore> core) noexcept;
  std::unique_ptr<detail::ConsumerCore> core_;
};

}  // namespace hoptrace::kafka
