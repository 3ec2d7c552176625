#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "hoptrace/core/messaging/messaging_operation.h"

/// \file
/// Kafka specifics of the messaging conventions (spec §1.5), as small pure functions. Core
/// knows no Kafka client: these take plain values the adapter reads from librdkafka.

namespace hoptrace::messaging {

/// The string form of a Kafka message key, or nullopt when it has none that is unambiguous:
/// a null key, a key that is not well-formed UTF-8 (binary, e.g. Avro or an integer), or one
/// containing U+0000. The view aliases `key` (no copy).
std::optional<std::string_view> kafka_key_string(const void* key, std::size_t size) noexcept;

/// What the Kafka-specific attributes are taken from. Unknown values stay empty.
struct KafkaRecordAttributes {
  /// `messaging.kafka.offset`: set on send (once known), receive, process, settle.
  std::optional<std::int64_t> offset;
  /// The raw key; `messaging.kafka.message.key` only when kafka_key_string() accepts it.
  const void* key = nullptr;
  std::size_t key_size = 0;
  /// `messaging.kafka.message.tombstone`: set only when true (a null value).
  bool tombstone = false;
  /// `messaging.kafka.cluster.id`, when known (not on create spans).
  std::string_view cluster_id;
};

/// Adds the Kafka attributes that apply to `op.type` to `op.extra_attributes`:
/// offset (not create), key (single message, not settle), tombstone (only if true, not
/// settle), cluster id (not create). Single-message attributes (offset, key) are skipped when
/// `op` is a batch: put them on the links. Returns false if some did not fit.
/// `record.key` must outlive the span start.
bool add_kafka_attributes(MessagingOperation& op, const KafkaRecordAttributes& record) noexcept;

}  // namespace hoptrace::messaging
