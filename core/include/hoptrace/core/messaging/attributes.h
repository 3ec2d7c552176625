#pragma once

#include <string_view>

/// \file
/// Attribute keys and well-known values of the OpenTelemetry messaging semantic conventions,
/// v1.44.0 (status: Development), plus hoptrace's own experimental keys for the systems the
/// conventions do not cover (MQTT, Redis Streams).
///
/// Versioning: the keys live in an inline namespace named after the conventions' version.
/// Code that writes `attr::kMessagingSystem` always gets the current spelling; when a later
/// version renames a key (issue semantic-conventions#1892 plans `messaging.system` ->
/// `messaging.system.name`), the current namespace moves on and `attr::v1_44::kMessagingSystem`
/// keeps the old spelling for dual emission (see stability.h). Never spell a key as a literal in
/// an adapter.

namespace hoptrace::messaging {

/// The semantic-conventions version these keys implement.
inline constexpr std::string_view kSemconvVersion = "1.44.0";
/// The schema URL of that version (for an instrumentation scope or resource).
inline constexpr std::string_view kSchemaUrl = "https://opentelemetry.io/schemas/1.44.0";

namespace attr {
inline namespace v1_44 {

// --- Generic messaging attributes (spec §1.4) ------------------------------------------------

/// string, Required: the system-specific name of the operation (`send`, `poll`, `commit`...).
inline constexpr std::string_view kMessagingOperationName = "messaging.operation.name";
/// string, Conditionally Required: `create`, `send`, `receive`, `process` or `settle`.
inline constexpr std::string_view kMessagingOperationType = "messaging.operation.type";
/// string, Required: the messaging system (`kafka`, `rabbitmq`, our `mqtt`, `redis`).
inline constexpr std::string_view kMessagingSystem = "messaging.system";
/// int, set on batch APIs only (0 allowed), never on single-message APIs.
inline constexpr std::string_view kMessagingBatchMessageCount = "messaging.batch.message_count";
/// string: the queue/topic, unique within the broker.
inline constexpr std::string_view kMessagingDestinationName = "messaging.destination.name";
/// string: a low-cardinality template of the destination (e.g. `/customers/{customerId}`).
inline constexpr std::string_view kMessagingDestinationTemplate = "messaging.destination.template";
/// bool, set only when true: the destination is temporary (lives as long as its client).
inline constexpr std::string_view kMessagingDestinationTemporary =
    "messaging.destination.temporary";
/// bool, set only when true: the destination is anonymous (server-generated name).
inline constexpr std::string_view kMessagingDestinationAnonymous =
    "messaging.destination.anonymous";
/// string: the partition the message was sent to or received from.
inline constexpr std::string_view kMessagingDestinationPartitionId =
    "messaging.destination.partition.id";
/// string: the name of the subscription the consumer reads from.
inline constexpr std::string_view kMessagingDestinationSubscriptionName =
    "messaging.destination.subscription.name";
/// string: the consumer group (Kafka group, Redis stream group).
inline constexpr std::string_view kMessagingConsumerGroupName = "messaging.consumer.group.name";
/// string: the client's id in the messaging system.
inline constexpr std::string_view kMessagingClientId = "messaging.client.id";
/// string: the message id (single-message spans, or link attribute on batches).
inline constexpr std::string_view kMessagingMessageId = "messaging.message.id";
/// string: the conversation (correlation) id.
inline constexpr std::string_view kMessagingMessageConversationId =
    "messaging.message.conversation_id";
/// int, Opt-In: payload size in bytes (uncompressed when both are known).
inline constexpr std::string_view kMessagingMessageBodySize = "messaging.message.body.size";
/// int, Opt-In: payload plus metadata size in bytes.
inline constexpr std::string_view kMessagingMessageEnvelopeSize = "messaging.message.envelope.size";

// --- Generic non-messaging attributes the messaging spans use ---------------------------------

/// string, set if and only if the operation failed (low cardinality; `_OTHER` as fallback).
inline constexpr std::string_view kErrorType = "error.type";
/// string: the logical broker address (host name or IP).
inline constexpr std::string_view kServerAddress = "server.address";
/// int: the logical broker port.
inline constexpr std::string_view kServerPort = "server.port";
/// string: the address of the node last contacted.
inline constexpr std::string_view kNetworkPeerAddress = "network.peer.address";
/// int: set only when kNetworkPeerAddress is set.
inline constexpr std::string_view kNetworkPeerPort = "network.peer.port";

// --- Kafka (spec §1.5) ------------------------------------------------------------------------

/// string: the message key, only when it has an unambiguous string form (kafka.h).
inline constexpr std::string_view kMessagingKafkaMessageKey = "messaging.kafka.message.key";
/// int: the offset of a single record.
inline constexpr std::string_view kMessagingKafkaOffset = "messaging.kafka.offset";
/// bool, set only when true: the record is a tombstone (null value).
inline constexpr std::string_view kMessagingKafkaMessageTombstone =
    "messaging.kafka.message.tombstone";
/// string: the Kafka cluster id.
inline constexpr std::string_view kMessagingKafkaClusterId = "messaging.kafka.cluster.id";

// --- RabbitMQ (spec §1.6) ---------------------------------------------------------------------

/// string, Conditionally Required when non-empty: the routing key.
inline constexpr std::string_view kMessagingRabbitmqDestinationRoutingKey =
    "messaging.rabbitmq.destination.routing_key";
/// int, Conditionally Required when available: the delivery tag.
inline constexpr std::string_view kMessagingRabbitmqMessageDeliveryTag =
    "messaging.rabbitmq.message.delivery_tag";

// --- hoptrace experimental: MQTT (spec §1.7) ----------------------------------------------------
// OpenTelemetry has no MQTT conventions. These keys are hoptrace's own, EXPERIMENTAL: they may
// change or move to `messaging.mqtt.*` once upstream defines them (semantic-conventions#2370).

/// int, experimental: the QoS of the PUBLISH (0, 1 or 2).
inline constexpr std::string_view kHoptraceMqttQos = "hoptrace.mqtt.qos";
/// bool, experimental, set only when true: the retain flag.
inline constexpr std::string_view kHoptraceMqttRetain = "hoptrace.mqtt.retain";
/// bool, experimental, set only when true: the DUP flag (a redelivery attempt).
inline constexpr std::string_view kHoptraceMqttDuplicate = "hoptrace.mqtt.duplicate";
/// string, experimental: the protocol level used (`3.1.1` or `5`).
inline constexpr std::string_view kHoptraceMqttProtocolVersion = "hoptrace.mqtt.protocol.version";

// --- hoptrace experimental: Redis Streams (spec §1.7, §6.8) --------------------------------------
// The stream entry id (`<ms>-<seq>`) goes in kMessagingMessageId and the stream key in
// kMessagingDestinationName; the group in kMessagingConsumerGroupName. Only what the generic
// conventions cannot express gets an experimental key.

/// string, experimental: the consumer name within the group (XREADGROUP GROUP g <consumer>).
inline constexpr std::string_view kHoptraceRedisStreamConsumerName =
    "hoptrace.redis.stream.consumer.name";
/// int, experimental: how many times the entry was delivered (XPENDING/XCLAIM), when known.
inline constexpr std::string_view kHoptraceRedisStreamDeliveryCount =
    "hoptrace.redis.stream.delivery_count";
/// int, experimental: the logical database index of the connection (SELECT n), when not 0.
inline constexpr std::string_view kHoptraceRedisDatabaseIndex = "hoptrace.redis.database.index";

}  // namespace v1_44
}  // namespace attr

/// The value of `error.type` when no better low-cardinality value is known.
inline constexpr std::string_view kErrorTypeOther = "_OTHER";

// --- Well-known `messaging.system` values
// ---------------------------------------------------------

inline constexpr std::string_view kSystemActivemq = "activemq";
inline constexpr std::string_view kSystemAwsSns = "aws.sns";
inline constexpr std::string_view kSystemAwsSqs = "aws_sqs";
inline constexpr std::string_view kSystemEventgrid = "eventgrid";
inline constexpr std::string_view kSystemEventhubs = "eventhubs";
inline constexpr std::string_view kSystemGcpPubsub = "gcp_pubsub";
inline constexpr std::string_view kSystemJms = "jms";
inline constexpr std::string_view kSystemKafka = "kafka";
inline constexpr std::string_view kSystemPulsar = "pulsar";
inline constexpr std::string_view kSystemRabbitmq = "rabbitmq";
inline constexpr std::string_view kSystemRocketmq = "rocketmq";
inline constexpr std::string_view kSystemServicebus = "servicebus";
/// hoptrace's own value (not in semconv v1.44; the conventions allow custom values).
inline constexpr std::string_view kSystemMqtt = "mqtt";
/// hoptrace's own value for Redis Streams used as a message broker (not the DB conventions'
/// `db.system.name=redis`, which describes Redis client calls).
inline constexpr std::string_view kSystemRedis = "redis";

}  // namespace hoptrace::messaging
