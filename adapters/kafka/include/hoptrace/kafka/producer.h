#pragma once

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "hoptrace/core/array_view.h"
#include "hoptrace/core/propagation/propagation.h"
#include "hoptrace/core/tracer.h"

namespace hoptrace::kafka {

/// How a TracedProducer traces. Defaults suit most users.
struct ProducerOptions {
  /// Starts the spans. Null: `global_tracer_provider()->get_tracer("hoptrace.kafka")`, fetched
  /// once at construction.
  std::shared_ptr<Tracer> tracer;
  /// What to inject. Null: Propagation::global() (OTEL_PROPAGATORS). Borrowed: it must outlive
  /// the producer.
  const Propagation* propagation = nullptr;
  /// Batch produce: one `create` span per message (its context is what the message carries)
  /// plus a CLIENT `send` span linking to them. False: no create spans, the PRODUCER `send`
  /// span's context goes into every message.
  bool create_spans_for_batches = true;
};

/// One message to produce: what `rd_kafka_producev` takes, as a struct.
///
/// Ownership follows librdkafka exactly: with RD_KAFKA_MSG_F_FREE the value is freed by
/// librdkafka once produce succeeds; `headers` becomes the message's only when produce
/// succeeds (on failure the caller still owns and must destroy it).
struct OutgoingMessage {
  /// The topic name (NUL-terminated). Required.
  const char* topic = nullptr;
  /// RD_KAFKA_PARTITION_UA lets the partitioner choose.
  std::int32_t partition = RD_KAFKA_PARTITION_UA;
  /// Null value = tombstone.
  void* value = nullptr;
  std::size_t value_size = 0;
  /// Null key = no key.
  const void* key = nullptr;
  std::size_t key_size = 0;
  /// Existing headers to send (trace headers are injected into them, replacing any trace
  /// fields already there; after a failed produce they are yours again, trace fields included).
  /// Null: the producer creates a header list when it has something to inject.
  rd_kafka_headers_t* headers = nullptr;
  /// Milliseconds since the epoch; 0 = now.
  std::int64_t timestamp = 0;
  /// The per-message opaque: the delivery report callback sees exactly this in `_private`.
  void* opaque = nullptr;
  /// RD_KAFKA_MSG_F_COPY, RD_KAFKA_MSG_F_FREE, RD_KAFKA_MSG_F_BLOCK, as for producev.
  int flags = 0;
};

/// Makes a producer conf traceable: installs hoptrace's delivery-report callback in front of
/// the one the conf already has (`rd_kafka_conf_set_dr_msg_cb`; set yours first, it keeps
/// being called with the same message, per-message opaque and conf opaque as before), and an
/// interceptor that registers each client created from the conf. Idempotent.
///
/// The producer then always has a delivery-report callback, so serve reports with
/// rd_kafka_poll()/flush() as librdkafka asks (a producer that is never polled keeps delivered
/// messages queued until it is).
///
/// Needed only when you create the `rd_kafka_t` yourself and then borrow it with
/// TracedProducer::wrap(); TracedProducer::create() calls it. Throws ConfigError for a null
/// conf, Error if librdkafka refuses the interceptor.
void prepare_producer_conf(rd_kafka_conf_t* conf);

/// Process-wide producer counters since start (relaxed atomics).
struct ProducerStats {
  /// Spans ended without a delivery report because HOPTRACE_KAFKA_MAX_PENDING_SPANS messages
  /// were already awaiting one (memory stays bounded; the message is still produced).
  std::uint64_t spans_without_delivery_report = 0;
  /// Traced messages currently awaiting a delivery report.
  std::uint64_t pending_delivery_reports = 0;
};
ProducerStats producer_stats() noexcept;

/// A librdkafka producer that traces what it sends.
///
/// produce() starts a PRODUCER `send {topic}` span (child of the ambient span), injects its
/// context with the configured propagators, and ends the span when the delivery report is
/// served (from poll()/flush(), on the thread calling them) with the partition and
/// `messaging.kafka.offset`, or with `error.type` (librdkafka's error name) on failure. A
/// message librdkafka refuses at once ends its span with that error, which produce() returns
/// unchanged.
///
/// Thread-safety: produce() and produce_batch() may be called from any number of threads at
/// once (as rd_kafka_producev may); poll/flush like librdkafka's.
class TracedProducer {
 public:
  /// Creates and owns a producer from `conf` (which it takes, as rd_kafka_new does, also when
  /// it throws). Throws Error with librdkafka's message and code when rd_kafka_new fails.
  static TracedProducer create(rd_kafka_conf_t* conf, ProducerOptions options = {});

  /// Borrows `producer`, which must outlive this object and must have been created from a conf
  /// passed through prepare_producer_conf() (otherwise spans could never see a delivery
  /// report: throws ConfigError saying so).
  static TracedProducer wrap(rd_kafka_t* producer, ProducerOptions options = {});

  TracedProducer(TracedProducer&&) noexcept;
  TracedProducer& operator=(TracedProducer&&) noexcept;
  TracedProducer(const TracedProducer&) = delete;
  TracedProducer& operator=(const TracedProducer&) = delete;
  /// An owned producer is destroyed (rd_kafka_destroy; call flush() or close() first to deliver
  /// what is queued). Messages still queued are purged first so their spans end (error
  /// `_PURGE_QUEUE`/`_PURGE_INFLIGHT`); as with plain rd_kafka_destroy, your delivery callback
  /// is not called for them. A borrowed producer is left alone: flush it before you destroy it,
  /// or the spans of undelivered messages never end.
  ~TracedProducer();

  /// Produces one message: see the class comment. Returns what rd_kafka_producev would.
  rd_kafka_resp_err_t produce(const OutgoingMessage& message) noexcept;

  /// Produces several messages (each as produce() would take it, topics may differ). With
  /// create_spans_for_batches, each message gets a PRODUCER `create {topic}` span and one
  /// CLIENT `send` span links to all of them and ends when the last delivery report arrives.
  /// `errors`, when not empty, must have one slot per message and receives each result.
  /// Returns the number of messages librdkafka accepted.
  std::size_t produce_batch(ArrayView<OutgoingMessage> messages,
                            rd_kafka_resp_err_t* errors = nullptr) noexcept;

  /// rd_kafka_poll: serves delivery reports (ending their spans) and other callbacks.
  int poll(int timeout_ms) noexcept;
  /// rd_kafka_flush.
  rd_kafka_resp_err_t flush(int timeout_ms) noexcept;
  /// rd_kafka_purge (the purged messages' spans end with `_PURGE_QUEUE`/`_PURGE_INFLIGHT` when
  /// their delivery reports are served).
  rd_kafka_resp_err_t purge(int purge_flags) noexcept;
  /// Flushes for up to `timeout_ms`, then destroys an owned producer (a borrowed one is
  /// released). Idempotent.
  void close(int timeout_ms = 10'000) noexcept;

  /// The librdkafka handle (for calls this class does not wrap); null after close().
  rd_kafka_t* handle() const noexcept;

 private:
  struct Impl;
  explicit TracedProducer(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hoptrace::kafka
