#include "hoptrace/kafka/consumer.h"

#include <atomic>
#include <chrono>
#include <utility>

#include "client_info.h"
#include "hoptrace/core/detail/hex.h"
#include "hoptrace/core/error.h"
#include "hoptrace/core/messaging/attributes.h"
#include "hoptrace/core/messaging/batch_links.h"
#include "hoptrace/core/messaging/inline_text.h"
#include "hoptrace/core/messaging/kafka.h"
#include "hoptrace/core/messaging/messaging_error.h"
#include "hoptrace/core/messaging/messaging_span.h"
#include "hoptrace/core/tracer_provider.h"
#include "hoptrace/kafka/handles.h"
#include "hoptrace/kafka/version.h"
#include "scanned_headers_reader.h"
#include "process_span_start.h"
#include "span_template.h"

namespace hoptrace::kafka {
namespace {

std::atomic<std::uint64_t> g_rejected_contexts{0};
const SpanContext kNoContext{};

Timestamp now() noexcept {
  return Timestamp{std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now().time_since_epoch())};
}

std::string_view topic_of(const rd_kafka_message_t* message) noexcept {
  if (message == nullptr || message->rkt == nullptr) return {};
  const char* name = rd_kafka_topic_name(message->rkt);
  return name != nullptr ? std::string_view(name) : std::string_view();
}

}  // namespace

ConsumerStats consumer_stats() noexcept {
  ConsumerStats stats;
  stats.messages_with_rejected_context = g_rejected_contexts.load(std::memory_order_relaxed);
  return stats;
}

namespace detail {

// The one open process scope of a consumer. Handles refer to it by generation, so a handle
// whose scope was already ended (next poll, commit) can never end a later message's span.
struct ProcessSlot {
  std::uint64_t generation = 1;
  bool open = false;
  Span span;
  std::optional<Scope> scope;
  SpanContext creation;

  void close() noexcept {
    if (!open) return;
    scope.reset();
    span.end();
    open = false;
    ++generation;
  }
};

struct ConsumerCore {
  rd_kafka_t* client = nullptr;
  bool owned = false;
  bool closed = false;
  QueuePtr queue;
  std::shared_ptr<Tracer> tracer;
  const Propagation* propagation = nullptr;
  messaging::ConsumerTracePolicy policy;
  KeyMatch header_match = KeyMatch::kExact;
  // What every Process span of this consumer says, whatever the message and topic (views into
  // `info`); the per-topic templates are built from it.
  messaging::MessagingOperation process_operation;
  SpanTemplateCache process_templates;
  std::size_t max_batch_links = 128;
  ClientInfo info;
  ProcessSlot slot;
  std::unique_ptr<messaging::BatchLinks<messaging::kDefaultBatchLinkCapacity, 2>> links;

  ~ConsumerCore() {
    slot.close();
    queue.reset();
    if (owned && client != nullptr) {
      if (!closed) rd_kafka_consumer_close(client);
      rd_kafka_destroy(client);
    }
  }

  // Reads the creation context (and baggage) a message carries. A message whose trace headers
  // were rejected is counted: it is still delivered as is, and its span starts a new trace.
  Context extract(rd_kafka_message_t* message) const noexcept {
    // The propagators look up several keys and a message carries few headers: read the names
    // once (see ScannedHeadersReader).
    const ScannedHeadersReader reader(HeadersReader::of(message).headers(), header_match);
    Context context = propagation->extract(reader);
    // Only a message without a usable context can have had one rejected: look at its header
    // names then (the common, valid case pays nothing).
    if (!context.span_context.is_valid() && reader.reader().headers() != nullptr) {
      bool carried = false;
      const FieldSet& fields = propagation->fields();
      reader.for_each_key([&](std::string_view key) {
        // Baggage alone carries no span context, so it cannot have been a rejected one.
        carried = fields.matches(key) && key != "baggage" &&
                  !hoptrace::detail::starts_with_ignore_case(key, "uberctx-") &&
                  reader.get(key).has_value();
        return !carried;
      });
      if (carried) g_rejected_contexts.fetch_add(1, std::memory_order_relaxed);
    }
    return context;
  }

  void describe(messaging::MessagingOperation& op, const rd_kafka_message_t& message,
                const messaging::DecimalString& partition) const noexcept {
    op.system = messaging::kSystemKafka;
    op.destination.name = topic_of(&message);
    op.partition_id = partition.view();
    op.consumer_group = info.group_id;
    op.client_id = info.client_id;
    op.server_address = info.server_address;
    op.server_port = info.server_port;
  }

  // The Process span of one message: from its topic's template (what describe() and
  // MessagingSpanStart::for_consumer would build, without building it per message), or the
  // generic way when no template is available.
  Span start_process_span(const rd_kafka_message_t& message, const SpanContext& creation) noexcept {
    const SpanContext& ambient = Context::current().span_context;
    // Parent and links first: a span that cannot record (an unsampled message) needs no name
    // and no attributes, so no template, partition text or key check either; its context is
    // the same without them (Tracer::may_record).
    ProcessSpanStart start(creation, policy, ambient);
    if (!tracer->may_record(start.options())) return start.start(*tracer);
    const MessageSpanTemplate* found =
        process_templates.get(topic_of(&message), process_operation, /*with_offset=*/true);
    if (found == nullptr) {
      messaging::MessagingOperation op;
      op.type = messaging::OperationType::kProcess;
      op.operation_name = messaging::operation_name::kProcess;
      const messaging::DecimalString partition(message.partition);
      describe(op, message, partition);
      op.body_size = static_cast<std::int64_t>(message.len);
      messaging::KafkaRecordAttributes record;
      record.offset = message.offset;
      record.key = message.key;
      record.key_size = message.key_len;
      record.tombstone = message.payload == nullptr;
      messaging::add_kafka_attributes(op, record);
      return messaging::MessagingSpanStart::for_consumer(op, creation, policy, ambient)
          .start(*tracer);
    }
    messaging::DecimalString scratch;
    MessageFields fields;
    fields.partition_id = partition_text(message.partition, scratch);
    fields.body_size = static_cast<std::int64_t>(message.len);
    fields.offset = message.offset;
    fields.key = message.key;
    fields.key_size = message.key_len;
    fields.tombstone = message.payload == nullptr;
    start.describe(*found, fields);
    return start.start(*tracer);
  }

  // `known_creation`: the message's creation context when it was already extracted (a batch),
  // else null (extracted here, with its baggage).
  ConsumedMessage open_process(rd_kafka_message_t* message, bool owned_message,
                               const SpanContext* known_creation) noexcept {
    slot.close();
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return ConsumedMessage(message, owned_message, nullptr, 0);
    }
    Context extracted = known_creation == nullptr ? extract(message) : Context(*known_creation);
    slot.span = start_process_span(*message, extracted.span_context);
    slot.creation = std::move(extracted.span_context);
    // The handler runs with the process span as its parent and the message's baggage.
    extracted.span_context = slot.span.context();
    slot.scope.emplace(std::move(extracted));
    slot.open = true;
    return ConsumedMessage(message, owned_message, &slot, slot.generation);
  }
};

}  // namespace detail

// ---- ConsumedMessage ----

ConsumedMessage::ConsumedMessage(ConsumedMessage&& other) noexcept
    : message_(std::exchange(other.message_, nullptr)),
      owned_(std::exchange(other.owned_, false)),
      slot_(std::exchange(other.slot_, nullptr)),
      generation_(std::exchange(other.generation_, 0)) {}

ConsumedMessage& ConsumedMessage::operator=(ConsumedMessage&& other) noexcept {
  if (this != &other) {
    reset();
    message_ = std::exchange(other.message_, nullptr);
    owned_ = std::exchange(other.owned_, false);
    slot_ = std::exchange(other.slot_, nullptr);
    generation_ = std::exchange(other.generation_, 0);
  }
  return *this;
}

ConsumedMessage::~ConsumedMessage() { reset(); }

bool ConsumedMessage::is_current() const noexcept {
  return slot_ != nullptr && slot_->open && slot_->generation == generation_;
}

void ConsumedMessage::reset() noexcept {
  end();
  if (owned_ && message_ != nullptr) rd_kafka_message_destroy(message_);
  message_ = nullptr;
  owned_ = false;
  slot_ = nullptr;
}

void ConsumedMessage::end() noexcept {
  if (is_current()) slot_->close();
}

rd_kafka_message_t* ConsumedMessage::release() noexcept {
  end();
  if (!owned_) return nullptr;
  owned_ = false;
  slot_ = nullptr;
  return std::exchange(message_, nullptr);
}

rd_kafka_resp_err_t ConsumedMessage::error() const noexcept {
  return message_ != nullptr ? message_->err : RD_KAFKA_RESP_ERR__TIMED_OUT;
}
std::string_view ConsumedMessage::topic() const noexcept { return topic_of(message_); }
std::int32_t ConsumedMessage::partition() const noexcept {
  return message_ != nullptr ? message_->partition : RD_KAFKA_PARTITION_UA;
}
std::int64_t ConsumedMessage::offset() const noexcept {
  return message_ != nullptr ? message_->offset : RD_KAFKA_OFFSET_INVALID;
}
std::string_view ConsumedMessage::payload() const noexcept {
  if (message_ == nullptr || message_->payload == nullptr) return {};
  return std::string_view(static_cast<const char*>(message_->payload), message_->len);
}
std::string_view ConsumedMessage::key() const noexcept {
  if (message_ == nullptr || message_->key == nullptr) return {};
  return std::string_view(static_cast<const char*>(message_->key), message_->key_len);
}
bool ConsumedMessage::is_tombstone() const noexcept {
  return message_ != nullptr && message_->payload == nullptr;
}
HeadersReader ConsumedMessage::headers() const noexcept { return HeadersReader::of(message_); }

const SpanContext& ConsumedMessage::span_context() const noexcept {
  return is_current() ? slot_->span.context() : kNoContext;
}
const SpanContext& ConsumedMessage::creation_context() const noexcept {
  return is_current() ? slot_->creation : kNoContext;
}
void ConsumedMessage::set_attribute(std::string_view key, AttributeValue value) noexcept {
  if (is_current()) slot_->span.set_attribute(key, value);
}
void ConsumedMessage::set_error(std::string_view error_type,
                                std::string_view description) noexcept {
  if (is_current()) messaging::set_messaging_error(slot_->span, error_type, description);
}

// ---- MessageBatch ----

MessageBatch::MessageBatch(MessageBatch&& other) noexcept
    : messages_(std::move(other.messages_)),
      creation_contexts_(std::move(other.creation_contexts_)),
      receive_context_(std::move(other.receive_context_)),
      consumer_(std::exchange(other.consumer_, nullptr)) {
  other.messages_.clear();
}

MessageBatch& MessageBatch::operator=(MessageBatch&& other) noexcept {
  if (this != &other) {
    this->~MessageBatch();
    new (this) MessageBatch(std::move(other));
  }
  return *this;
}

MessageBatch::~MessageBatch() {
  // A handle into this batch must not outlive it; its scope ends with the batch.
  if (consumer_ != nullptr && !messages_.empty()) consumer_->slot.close();
  for (rd_kafka_message_t* message : messages_) rd_kafka_message_destroy(message);
  messages_.clear();
}

ConsumedMessage MessageBatch::process(std::size_t index) noexcept {
  if (consumer_ == nullptr || index >= messages_.size()) return ConsumedMessage();
  return consumer_->open_process(messages_[index], false, &creation_contexts_[index]);
}

// ---- TracedConsumer ----

namespace {

std::unique_ptr<detail::ConsumerCore> make_core(rd_kafka_t* client, bool owned,
                                                ConsumerOptions& options) {
  auto core = std::make_unique<detail::ConsumerCore>();
  core->client = client;
  core->owned = owned;
  core->tracer = options.tracer != nullptr
                     ? std::move(options.tracer)
                     : global_tracer_provider()->get_tracer(kInstrumentationName, kVersion);
  core->propagation = options.propagation != nullptr ? options.propagation : &Propagation::global();
  core->policy =
      options.policy ? *options.policy : messaging::ConsumerTracePolicy::from_environment();
  core->header_match = options.header_match;
  core->max_batch_links = options.max_batch_links;
  core->info = detail::ClientInfo::of(client);
  messaging::MessagingOperation& process = core->process_operation;
  process.system = messaging::kSystemKafka;
  process.type = messaging::OperationType::kProcess;
  process.operation_name = messaging::operation_name::kProcess;
  process.consumer_group = core->info.group_id;
  process.client_id = core->info.client_id;
  process.server_address = core->info.server_address;
  process.server_port = core->info.server_port;
  process.partition_id = "0";  // placeholders: the partition and size are per message
  process.body_size = 0;
  core->queue.reset(rd_kafka_queue_get_consumer(client));
  core->links = std::make_unique<messaging::BatchLinks<messaging::kDefaultBatchLinkCapacity, 2>>();
  return core;
}

}  // namespace

TracedConsumer TracedConsumer::create(rd_kafka_conf_t* conf, ConsumerOptions options) {
  if (conf == nullptr) throw ConfigError("hoptrace::kafka::TracedConsumer::create: conf is null");
  char errstr[512] = {};
  rd_kafka_t* client = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
  if (client == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw Error(std::string("hoptrace::kafka: cannot create the consumer: ") + errstr +
                " (check the configuration properties)");
  }
  std::unique_ptr<detail::ConsumerCore> core;
  try {
    core = make_core(client, true, options);
  } catch (...) {
    rd_kafka_destroy(client);
    throw;
  }
  if (core->queue == nullptr) {
    throw ConfigError(
        "hoptrace::kafka::TracedConsumer::create: not a high-level consumer; set group.id in "
        "the conf");
  }
  rd_kafka_poll_set_consumer(client);
  return TracedConsumer(std::move(core));
}

TracedConsumer TracedConsumer::wrap(rd_kafka_t* consumer, ConsumerOptions options) {
  if (consumer == nullptr || rd_kafka_type(consumer) != RD_KAFKA_CONSUMER) {
    throw ConfigError("hoptrace::kafka::TracedConsumer::wrap: the client is not a consumer");
  }
  auto core = make_core(consumer, false, options);
  if (core->queue == nullptr) {
    throw ConfigError(
        "hoptrace::kafka::TracedConsumer::wrap: not a high-level consumer (no group.id)");
  }
  return TracedConsumer(std::move(core));
}

TracedConsumer::TracedConsumer(std::unique_ptr<detail::ConsumerCore> core) noexcept
    : core_(std::move(core)) {}
TracedConsumer::TracedConsumer(TracedConsumer&&) noexcept = default;
TracedConsumer& TracedConsumer::operator=(TracedConsumer&&) noexcept = default;
TracedConsumer::~TracedConsumer() = default;

rd_kafka_resp_err_t TracedConsumer::subscribe(const std::vector<std::string>& topics) noexcept {
  if (!core_) return RD_KAFKA_RESP_ERR__STATE;
  const TopicPartitionListPtr list(
      rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
  for (const std::string& topic : topics) {
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  return rd_kafka_subscribe(core_->client, list.get());
}

ConsumedMessage TracedConsumer::poll(int timeout_ms) noexcept {
  if (!core_ || core_->closed) return ConsumedMessage();
  core_->slot.close();
  rd_kafka_message_t* message = rd_kafka_consumer_poll(core_->client, timeout_ms);
  if (message == nullptr) return ConsumedMessage();
  return core_->open_process(message, true, nullptr);
}

MessageBatch TracedConsumer::consume_batch(std::size_t max_messages, int timeout_ms) noexcept {
  MessageBatch batch;
  if (!core_ || core_->closed || max_messages == 0) return batch;
  detail::ConsumerCore& core = *core_;
  core.slot.close();
  const Timestamp started = now();
  try {
    batch.messages_.resize(max_messages);
  } catch (...) {
    batch.messages_.clear();
    return batch;
  }
  const ssize_t got = rd_kafka_consume_batch_queue(core.queue.get(), timeout_ms,
                                                   batch.messages_.data(), max_messages);
  batch.messages_.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  batch.consumer_ = &core;
  if (batch.messages_.empty()) return batch;
  try {
    batch.creation_contexts_.resize(batch.messages_.size());
  } catch (...) {
    // Without room for the contexts the messages still go to the user, untraced.
    batch.consumer_ = nullptr;
    return batch;
  }

  auto& links = *core.links;
  links.clear();
  std::string_view topic = topic_of(batch.messages_.front());
  bool one_topic = true;
  for (std::size_t i = 0; i < batch.messages_.size(); ++i) {
    rd_kafka_message_t* message = batch.messages_[i];
    if (topic_of(message) != topic) one_topic = false;
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    batch.creation_contexts_[i] = core.extract(message).span_context;
    if (links.size() < core.max_batch_links) {
      const Attribute offset{messaging::attr::kMessagingKafkaOffset, message->offset};
      links.add_with_partition(batch.creation_contexts_[i], message->partition,
                               ArrayView<Attribute>(&offset, 1));
    }
  }
  messaging::MessagingOperation op;
  op.system = messaging::kSystemKafka;
  op.type = messaging::OperationType::kReceive;
  op.operation_name = messaging::operation_name::kPoll;
  if (one_topic) op.destination.name = topic;
  op.consumer_group = core.info.group_id;
  op.client_id = core.info.client_id;
  op.server_address = core.info.server_address;
  op.server_port = core.info.server_port;
  op.batch_message_count = static_cast<std::int64_t>(batch.messages_.size());
  auto start = messaging::MessagingSpanStart::for_consumer_batch(op, links.links(), core.policy,
                                                                 Context::current().span_context);
  start.options().start_time = started;
  Span receive = start.start(*core.tracer);
  batch.receive_context_ = receive.context();
  receive.end();
  return batch;
}

rd_kafka_resp_err_t TracedConsumer::commit(ConsumedMessage& message, bool async) noexcept {
  if (!core_ || message.get() == nullptr) return RD_KAFKA_RESP_ERR__INVALID_ARG;
  detail::ConsumerCore& core = *core_;
  const rd_kafka_message_t& raw = *message.get();
  messaging::MessagingOperation op;
  op.type = messaging::OperationType::kSettle;
  op.operation_name = messaging::operation_name::kCommit;
  const messaging::DecimalString partition(raw.partition);
  core.describe(op, raw, partition);
  messaging::KafkaRecordAttributes record;
  record.offset = raw.offset;
  messaging::add_kafka_attributes(op, record);
  const Link link{message.creation_context(), {}};
  const bool linked = link.context.is_valid();
  // The settle span is the process span's child: its scope is still the ambient one.
  const auto start = messaging::MessagingSpanStart::for_operation(
      op, linked ? ArrayView<Link>(&link, 1) : ArrayView<Link>());
  Span settle = start.start(*core.tracer);
  const rd_kafka_resp_err_t err =
      rd_kafka_commit_message(core.client, message.get(), async ? 1 : 0);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    messaging::set_messaging_error(settle, rd_kafka_err2name(err), rd_kafka_err2str(err));
  }
  settle.end();
  message.end();
  return err;
}

rd_kafka_resp_err_t TracedConsumer::commit(bool async) noexcept {
  if (!core_) return RD_KAFKA_RESP_ERR__STATE;
  messaging::MessagingOperation op;
  op.system = messaging::kSystemKafka;
  op.type = messaging::OperationType::kSettle;
  op.operation_name = messaging::operation_name::kCommit;
  op.consumer_group = core_->info.group_id;
  op.client_id = core_->info.client_id;
  op.server_address = core_->info.server_address;
  op.server_port = core_->info.server_port;
  Span settle = messaging::start_messaging_span(*core_->tracer, op);
  const rd_kafka_resp_err_t err = rd_kafka_commit(core_->client, nullptr, async ? 1 : 0);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    messaging::set_messaging_error(settle, rd_kafka_err2name(err), rd_kafka_err2str(err));
  }
  return err;
}

rd_kafka_resp_err_t TracedConsumer::close() noexcept {
  if (!core_ || core_->closed) return RD_KAFKA_RESP_ERR_NO_ERROR;
  core_->slot.close();
  core_->closed = true;
  return rd_kafka_consumer_close(core_->client);
}

rd_kafka_t* TracedConsumer::handle() const noexcept { return core_ ? core_->client : nullptr; }

const messaging::ConsumerTracePolicy& TracedConsumer::policy() const noexcept {
  static const messaging::ConsumerTracePolicy kDefault;
  return core_ ? core_->policy : kDefault;
}

}  // namespace hoptrace::kafka
