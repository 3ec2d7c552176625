#include "hoptrace/kafka/producer.h"

#include <atomic>
#include <string>
#include <string_view>
#include <utility>

#include "client_info.h"
#include "delivery_hook.h"
#include "delivery_record.h"
#include "hoptrace/core/error.h"
#include "hoptrace/core/messaging/attributes.h"
#include "hoptrace/core/messaging/batch_links.h"
#include "hoptrace/core/messaging/inline_text.h"
#include "hoptrace/core/messaging/kafka.h"
#include "hoptrace/core/messaging/messaging_error.h"
#include "hoptrace/core/messaging/messaging_span.h"
#include "hoptrace/core/tracer_provider.h"
#include "hoptrace/kafka/headers_carrier.h"
#include "hoptrace/kafka/propagation.h"
#include "hoptrace/kafka/version.h"
#include "span_template.h"

namespace hoptrace::kafka {
namespace {

std::atomic<std::uint64_t> g_spans_without_report{0};

}  // namespace

ProducerStats producer_stats() noexcept {
  ProducerStats stats;
  stats.spans_without_delivery_report = g_spans_without_report.load(std::memory_order_relaxed);
  stats.pending_delivery_reports = detail::DeliveryRecordArena::instance().in_use();
  return stats;
}

struct TracedProducer::Impl {
  rd_kafka_t* client = nullptr;
  bool owned = false;
  std::shared_ptr<Tracer> tracer;
  const Propagation* propagation = nullptr;
  bool propagates = true;
  bool create_spans_for_batches = true;
  detail::ClientInfo info;
  // Everything a single-message Send span says that does not depend on the message or the
  // topic; the per-topic templates are built from it (views into `info`).
  messaging::MessagingOperation send_operation;
  detail::SpanTemplateCache send_templates;

  Impl(rd_kafka_t* producer, bool owns, ProducerOptions&& options)
      : client(producer),
        owned(owns),
        tracer(options.tracer != nullptr
                   ? std::move(options.tracer)
                   : global_tracer_provider()->get_tracer(kInstrumentationName, kVersion)),
        propagation(options.propagation != nullptr ? options.propagation : &Propagation::global()),
        propagates(!propagation->names().empty()),
        create_spans_for_batches(options.create_spans_for_batches),
        info(detail::ClientInfo::of(producer)) {
    send_operation.system = messaging::kSystemKafka;
    send_operation.type = messaging::OperationType::kSend;
    send_operation.operation_name = messaging::operation_name::kSend;
    send_operation.client_id = info.client_id;
    send_operation.server_address = info.server_address;
    send_operation.server_port = info.server_port;
    send_operation.partition_id = "0";  // a placeholder: the partition is per message
    send_operation.body_size = 0;       // likewise
  }

  // The Send span of one message: from the topic's template (what describe() and
  // MessagingSpanStart would build, without building it per message), or the generic way when
  // no template is available.
  Span start_send_span(const OutgoingMessage& message) noexcept {
    SpanStartOptions options;
    options.kind = SpanKind::kProducer;
    options.parent_source = ParentSource::kAmbient;
    // A span that cannot record (an unsampled message) needs no name and no attributes, so
    // no template (nor the topic's length to find it); start_span still gives it its context,
    // exactly as with them (Tracer::may_record).
    if (!tracer->may_record(options)) return tracer->start_span({}, options);
    const std::string_view topic = message.topic != nullptr ? message.topic : "";
    const detail::MessageSpanTemplate* found = send_templates.get(topic, send_operation, false);
    if (found == nullptr) {
      messaging::MessagingOperation op;
      op.type = messaging::OperationType::kSend;
      op.operation_name = messaging::operation_name::kSend;
      op.client_id = info.client_id;
      const messaging::DecimalString partition(message.partition);
      describe(op, message, partition);
      return messaging::MessagingSpanStart::for_operation(op).start(*tracer);
    }
    options.kind = found->kind();
    options.attributes_distinct = found->keys_distinct();
    detail::MessageSpanTemplate::Attributes attributes;
    messaging::DecimalString scratch;  // the attributes may view it: it must outlive start_span
    detail::MessageFields fields;
    if (message.partition != RD_KAFKA_PARTITION_UA) {
      fields.partition_id = detail::partition_text(message.partition, scratch);
    }
    fields.body_size = static_cast<std::int64_t>(message.value_size);
    fields.key = message.key;
    fields.key_size = message.key_size;
    fields.tombstone = message.value == nullptr;
    found->attributes_for(fields, attributes);
    options.attributes = attributes.view();
    return tracer->start_span(found->name(), options);
  }

  ~Impl() {
    if (owned && client != nullptr) destroy_owned();
  }

  // Messages still queued would never see a delivery report, and their spans would never end:
  // purge them and serve the reports for hoptrace only (as plain rd_kafka_destroy, the user's
  // callback does not hear about them).
  void destroy_owned() noexcept {
    if (rd_kafka_outq_len(client) > 0) {
      detail::suppress_user_deliveries(client);
      rd_kafka_purge(client, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      rd_kafka_flush(client, 1000);
    }
    rd_kafka_destroy(client);
    client = nullptr;
  }

  // Fills the attributes every producer span carries; `partition` must outlive the span start.
  void describe(messaging::MessagingOperation& op, const OutgoingMessage& message,
                const messaging::DecimalString& partition) const noexcept {
    op.system = messaging::kSystemKafka;
    op.destination.name = message.topic != nullptr ? std::string_view(message.topic) : "";
    if (message.partition != RD_KAFKA_PARTITION_UA) op.partition_id = partition.view();
    op.server_address = info.server_address;
    op.server_port = info.server_port;
    op.body_size = static_cast<std::int64_t>(message.value_size);
    messaging::KafkaRecordAttributes record;
    record.key = message.key;
    record.key_size = message.key_size;
    record.tombstone = message.value == nullptr;
    messaging::add_kafka_attributes(op, record);
  }

  // Injects `context` (with the ambient baggage) and hands the message to librdkafka. A
  // recording `span` (or a batch member) waits for the delivery report in a DeliveryRecord.
  // `context` may be `span`'s own: it is only read before `span` is moved from.
  rd_kafka_resp_err_t send(const OutgoingMessage& message, const SpanContext& context,
                           Span&& span, detail::BatchSend* batch) noexcept {
    rd_kafka_headers_t* headers = message.headers;
    bool created_headers = false;
    if (propagates) {
      Context outgoing;
      outgoing.span_context = context;
      outgoing.baggage = Context::current().baggage;
      if (headers == nullptr) {
        // A list made for this message holds nothing stale: no removal scans.
        headers = new_trace_headers(outgoing, *propagation).release();
        created_headers = headers != nullptr;
      } else {
        inject(outgoing, headers, *propagation);
      }
    }

    detail::DeliveryRecord* record = nullptr;
    void* opaque = message.opaque;
    if (span.is_recording() || batch != nullptr) {
      record = detail::DeliveryRecordArena::instance().acquire();
      if (record != nullptr) {
        record->span = std::move(span);
        record->user_opaque = message.opaque;
        record->span_partition = batch == nullptr ? message.partition : RD_KAFKA_PARTITION_UA;
        record->batch = batch;
        opaque = record;
      } else {
        g_spans_without_report.fetch_add(1, std::memory_order_relaxed);
        // Never the last reference: produce_batch holds a guard until it is done.
        if (batch != nullptr) detail::release_batch_reference(batch, RD_KAFKA_RESP_ERR_NO_ERROR);
      }
    }

    rd_kafka_vu_t args[8];
    std::size_t count = 0;
    args[count].vtype = RD_KAFKA_VTYPE_TOPIC;
    args[count++].u.cstr = message.topic;
    args[count].vtype = RD_KAFKA_VTYPE_PARTITION;
    args[count++].u.i32 = message.partition;
    args[count].vtype = RD_KAFKA_VTYPE_VALUE;
    args[count].u.mem.ptr = message.value;
    args[count++].u.mem.size = message.value_size;
    if (message.key != nullptr) {
      args[count].vtype = RD_KAFKA_VTYPE_KEY;
      args[count].u.mem.ptr = const_cast<void*>(message.key);
      args[count++].u.mem.size = message.key_size;
    }
    args[count].vtype = RD_KAFKA_VTYPE_OPAQUE;
    args[count++].u.ptr = opaque;
    args[count].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    args[count++].u.i = message.flags;
    if (message.timestamp != 0) {
      args[count].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
      args[count++].u.i64 = message.timestamp;
    }
    if (headers != nullptr) {
      args[count].vtype = RD_KAFKA_VTYPE_HEADERS;
      args[count++].u.headers = headers;
    }

    rd_kafka_resp_err_t result = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (message.topic == nullptr) {
      result = RD_KAFKA_RESP_ERR__INVALID_ARG;
    } else if (rd_kafka_error_t* error = rd_kafka_produceva(client, args, count)) {
      result = rd_kafka_error_code(error);
      rd_kafka_error_destroy(error);
    }
    if (result == RD_KAFKA_RESP_ERR_NO_ERROR) return result;

    // librdkafka's rule: on failure the caller keeps the headers. Ours are freed; the user's
    // stay theirs.
    if (created_headers) rd_kafka_headers_destroy(headers);
    if (record != nullptr) {
      detail::fail_record(record, result);
    } else if (span.is_recording()) {
      messaging::set_messaging_error(span, rd_kafka_err2name(result), rd_kafka_err2str(result));
    }
    return result;
  }
};

TracedProducer::TracedProducer(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
TracedProducer::TracedProducer(TracedProducer&&) noexcept = default;
TracedProducer& TracedProducer::operator=(TracedProducer&&) noexcept = default;
TracedProducer::~TracedProducer() = default;

TracedProducer TracedProducer::create(rd_kafka_conf_t* conf, ProducerOptions options) {
  if (conf == nullptr) throw ConfigError("hoptrace::kafka::TracedProducer::create: conf is null");
  try {
    prepare_producer_conf(conf);
  } catch (...) {
    rd_kafka_conf_destroy(conf);
    throw;
  }
  char errstr[512] = {};
  rd_kafka_t* client = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (client == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw Error(std::string("hoptrace::kafka: cannot create the producer: ") + errstr +
                " (check the configuration properties)");
  }
  return TracedProducer(std::make_unique<Impl>(client, true, std::move(options)));
}

TracedProducer TracedProducer::wrap(rd_kafka_t* producer, ProducerOptions options) {
  if (producer == nullptr) throw ConfigError("hoptrace::kafka::TracedProducer::wrap: null client");
  if (rd_kafka_type(producer) != RD_KAFKA_PRODUCER) {
    throw ConfigError("hoptrace::kafka::TracedProducer::wrap: the client is not a producer");
  }
  if (!detail::is_delivery_hooked(producer)) {
    throw ConfigError(
        "hoptrace::kafka::TracedProducer::wrap: this producer was not created from a conf "
        "passed through hoptrace::kafka::prepare_producer_conf(), so its send spans could "
        "never see a delivery report; call prepare_producer_conf(conf) before rd_kafka_new");
  }
  return TracedProducer(std::make_unique<Impl>(producer, false, std::move(options)));
}

rd_kafka_resp_err_t TracedProducer::produce(const OutgoingMessage& message) noexcept {
  if (!impl_ || impl_->client == nullptr) return RD_KAFKA_RESP_ERR__STATE;
  Impl& impl = *impl_;
  Span span = impl.start_send_span(message);
  return impl.send(message, span.context(), std::move(span), nullptr);
}

std::size_t TracedProducer::produce_batch(ArrayView<OutgoingMessage> messages,
                                          rd_kafka_resp_err_t* errors) noexcept {
  if (!impl_ || impl_->client == nullptr) {
    for (std::size_t i = 0; errors != nullptr && i < messages.size(); ++i) {
      errors[i] = RD_KAFKA_RESP_ERR__STATE;
    }
    return 0;
  }
  Impl& impl = *impl_;
  const Timestamp started{std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now().time_since_epoch())};

  // The Send span covers every message: it names the topic only when they share one.
  std::string_view topic;
  bool one_topic = true;
  for (const OutgoingMessage& message : messages) {
    const std::string_view name = message.topic != nullptr ? message.topic : "";
    if (&message == messages.begin()) {
      topic = name;
    } else if (name != topic) {
      one_topic = false;
    }
  }
  messaging::MessagingOperation send_op;
  send_op.system = messaging::kSystemKafka;
  send_op.type = messaging::OperationType::kSend;
  send_op.operation_name = messaging::operation_name::kSend;
  send_op.send_context_use = impl.create_spans_for_batches
                                 ? messaging::SendContextUse::kLinksToCreateSpans
                                 : messaging::SendContextUse::kInjectedAsCreationContext;
  if (one_topic) send_op.destination.name = topic;
  send_op.client_id = impl.info.client_id;
  send_op.server_address = impl.info.server_address;
  send_op.server_port = impl.info.server_port;
  send_op.batch_message_count = static_cast<std::int64_t>(messages.size());

  // The guard count (+1) keeps the Send span alive until every message has been handed over.
  auto* batch = new (std::nothrow) detail::BatchSend();
  if (batch != nullptr) {
    batch->pending.store(static_cast<std::uint32_t>(messages.size()) + 1,
                         std::memory_order_relaxed);
  }
  std::size_t accepted = 0;

  if (!impl.create_spans_for_batches) {
    auto start = messaging::MessagingSpanStart::for_operation(send_op);
    start.options().start_time = started;
    Span send = start.start(*impl.tracer);
    const SpanContext context = send.context();
    if (batch != nullptr) batch->span = std::move(send);
    for (std::size_t i = 0; i < messages.size(); ++i) {
      const auto err = impl.send(messages[i], context, Span(), batch);
      if (errors != nullptr) errors[i] = err;
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) ++accepted;
    }
  } else {
    auto links = std::make_unique<messaging::BatchLinks<messaging::kDefaultBatchLinkCapacity, 1>>();
    for (std::size_t i = 0; i < messages.size(); ++i) {
      const OutgoingMessage& message = messages[i];
      messaging::MessagingOperation op;
      op.type = messaging::OperationType::kCreate;
      op.operation_name = messaging::operation_name::kCreate;
      const messaging::DecimalString partition(message.partition);
      impl.describe(op, message, partition);
      const auto start = messaging::MessagingSpanStart::for_operation(op);
      Span create = start.start(*impl.tracer);
      if (links != nullptr) links->add(create.context());
      const auto err = impl.send(message, create.context(), Span(), batch);
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        messaging::set_messaging_error(create, rd_kafka_err2name(err), rd_kafka_err2str(err));
      } else {
        ++accepted;
      }
      if (errors != nullptr) errors[i] = err;
    }
    auto start = links != nullptr
                     ? messaging::MessagingSpanStart::for_operation(send_op, links->links())
                     : messaging::MessagingSpanStart::for_operation(send_op);
    start.options().start_time = started;
    Span send = start.start(*impl.tracer);
    if (batch != nullptr) batch->span = std::move(send);
  }
  // Drop the guard; the last delivery report (possibly served already) ends the Send span.
  if (batch != nullptr) detail::release_batch_reference(batch, RD_KAFKA_RESP_ERR_NO_ERROR);
  return accepted;
}

int TracedProducer::poll(int timeout_ms) noexcept {
  return impl_ && impl_->client != nullptr ? rd_kafka_poll(impl_->client, timeout_ms) : 0;
}

rd_kafka_resp_err_t TracedProducer::flush(int timeout_ms) noexcept {
  return impl_ && impl_->client != nullptr ? rd_kafka_flush(impl_->client, timeout_ms)
                                           : RD_KAFKA_RESP_ERR__STATE;
}

rd_kafka_resp_err_t TracedProducer::purge(int purge_flags) noexcept {
  return impl_ && impl_->client != nullptr ? rd_kafka_purge(impl_->client, purge_flags)
                                           : RD_KAFKA_RESP_ERR__STATE;
}

void TracedProducer::close(int timeout_ms) noexcept {
  if (!impl_ || impl_->client == nullptr) return;
  rd_kafka_flush(impl_->client, timeout_ms);
  if (impl_->owned) {
    impl_->destroy_owned();
  } else {
    impl_->client = nullptr;
  }
}

rd_kafka_t* TracedProducer::handle() const noexcept { return impl_ ? impl_->client : nullptr; }

}  // namespace hoptrace::kafka
