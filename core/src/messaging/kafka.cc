#include "hoptrace/core/messaging/kafka.h"

#include <cstring>

#include "hoptrace/core/messaging/attributes.h"
#include "hoptrace/core/messaging/utf8.h"

namespace hoptrace::messaging {

std::optional<std::string_view> kafka_key_string(const void* key, std::size_t size) noexcept {
  if (key == nullptr) return std::nullopt;
  const std::string_view text(static_cast<const char*>(key), size);
  // U+0000 is valid UTF-8 but truncates in C APIs and most backends: not unambiguous.
  if (text.find('\0') != std::string_view::npos) return std::nullopt;
  if (!is_valid_utf8(text)) return std::nullopt;
  return text;
}

bool add_kafka_attributes(MessagingOperation& op, const KafkaRecordAttributes& record) noexcept {
  const OperationType type = op.type;
  const bool single = !op.is_batch();
  bool ok = true;
  if (record.offset && single && type != OperationType::kCreate) {
    ok &= op.add_attribute(attr::kMessagingKafkaOffset, *record.offset);
  }
  if (single && type != OperationType::kSettle) {
    if (auto key = kafka_key_string(record.key, record.key_size)) {
      ok &= op.add_attribute(attr::kMessagingKafkaMessageKey, *key);
    }
  }
  if (record.tombstone && type != OperationType::kSettle) {
    ok &= op.add_attribute(attr::kMessagingKafkaMessageTombstone, true);
  }
  if (!record.cluster_id.empty() && type != OperationType::kCreate) {
    ok &= op.add_attribute(attr::kMessagingKafkaClusterId, record.cluster_id);
  }
  return ok;
}

}  // namespace hoptrace::messaging
