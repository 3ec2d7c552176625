#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "hoptrace/core/attribute.h"
#include "hoptrace/core/messaging/destination.h"
#include "hoptrace/core/messaging/inline_vector.h"
#include "hoptrace/core/messaging/operation.h"

namespace hoptrace::messaging {

/// How many system-specific attributes one operation can carry (Kafka needs 4 at most, MQTT 4).
inline constexpr std::size_t kMaxExtraAttributes = 8;

/// One messaging operation, described with the semconv vocabulary: what an adapter fills in
/// before starting its span (messaging_span.h). Empty strings, zero ports and empty optionals
/// mean "unknown" and produce no attribute.
///
/// Holds views only: every string must outlive the span start it is used for (attribute values
/// are copied by the SDK when the span starts). Lives on the stack; never allocates.
struct MessagingOperation {
  /// `messaging.system` (kSystemKafka, kSystemRabbitmq, kSystemMqtt, kSystemRedis...).
  std::string_view system;
  OperationType type = OperationType::kProcess;
  /// `messaging.operation.name`, system-specific and low-cardinality (`publish`, `poll`...);
  /// empty means the operation type's name.
  std::string_view operation_name;
  /// Send spans only: PRODUCER when the span's context goes into the messages, else CLIENT.
  SendContextUse send_context_use = SendContextUse::kInjectedAsCreationContext;
  Destination destination;
  /// `messaging.destination.partition.id` (a string; see DecimalString for integers).
  std::string_view partition_id;
  /// `messaging.message.id`: single-message operations only (ignored when batch_message_count
  /// is set; put per-message ids on the links instead).
  std::string_view message_id;
  std::string_view conversation_id;
  /// `messaging.client.id` (not set on create spans).
  std::string_view client_id;
  /// `messaging.consumer.group.name` (Kafka group, Redis stream group).
  std::string_view consumer_group;
  std::string_view subscription_name;
  /// `server.address` / `server.port` of the broker (the port only with an address; > 0).
  std::string_view server_address;
  std::int64_t server_port = 0;
  /// `network.peer.*`: the node last contacted; not set on create and process spans.
  std::string_view network_peer_address;
  std::int64_t network_peer_port = 0;
  /// Opt-in sizes in bytes (uncompressed when known); not set on settle spans.
  std::optional<std::int64_t> body_size;
  std::optional<std::int64_t> envelope_size;
  /// Set exactly when the operation is a batch API: `messaging.batch.message_count` (0 allowed).
  /// Never set it for single-message APIs; create spans (always one message) ignore it.
  std::optional<std::int64_t> batch_message_count;
  /// System-specific attributes (kafka.h, rabbitmq.h, the hoptrace.mqtt.* and hoptrace.redis.*
  /// keys), visible at span start.
  InlineVector<Attribute, kMaxExtraAttributes> extra_attributes;

  /// Adds a system-specific attribute; false when kMaxExtraAttributes are already present.
  bool add_attribute(std::string_view key, AttributeValue value) noexcept {
    return extra_attributes.push_back(Attribute{key, value});
  }
  /// True when this describes a batch API call.
  bool is_batch() const noexcept { return batch_message_count.has_value(); }
  /// The operation name to use: operation_name, or the type's semconv name.
  std::string_view effective_operation_name() const noexcept {
    return operation_name.empty() ? to_string(type) : operation_name;
  }
};

}  // namespace hoptrace::messaging
