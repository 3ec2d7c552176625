#include "span_template.h"

#include <new>

#include "hoptrace/core/messaging/attributes.h"
#include "hoptrace/core/messaging/kafka.h"

namespace hoptrace::kafka::detail {

std::unique_ptr<MessageSpanTemplate> MessageSpanTemplate::make(
    std::string_view topic, const messaging::MessagingOperation& op, bool with_offset) noexcept {
  std::unique_ptr<MessageSpanTemplate> made(new (std::nothrow) MessageSpanTemplate());
  if (made == nullptr) return nullptr;
  try {
    made->topic_.assign(topic);
  } catch (...) {
    return nullptr;
  }
  messaging::MessagingOperation described = op;
  described.destination.name = made->topic_;
  // Placeholders mark where the per-message attributes go; their values are never used.
  if (!described.partition_id.empty()) described.partition_id = "0";
  if (with_offset && !described.add_attribute(messaging::attr::kMessagingKafkaOffset, 0)) {
    return nullptr;
  }
  const auto start = messaging::MessagingSpanStart::for_operation(described);
  if (start.dropped_attributes() > 0) return nullptr;
  made->name_ =
      messaging::SpanName::make(described.effective_operation_name(), described.destination,
                                described.server_address, described.server_port);
  made->kind_ = start.options().kind;
  for (const Attribute& attribute : start.options().attributes) {
    Slot slot = Slot::kFixed;
    if (attribute.key == messaging::attr::kMessagingDestinationPartitionId) {
      slot = Slot::kPartition;
    } else if (attribute.key == messaging::attr::kMessagingMessageBodySize) {
      slot = Slot::kBodySize;
    } else if (attribute.key == messaging::attr::kMessagingKafkaOffset) {
      slot = Slot::kOffset;
    }
    made->slots_[made->attributes_.size()] = slot;
    if (!made->attributes_.push_back(attribute)) return nullptr;
  }
  // Once per template: the fixed keys, and the per-message extras attributes_for() appends.
  made->keys_distinct_ = true;
  const auto& fixed = made->attributes_;
  for (std::size_t i = 0; i < fixed.size(); ++i) {
    for (std::size_t j = i + 1; j < fixed.size(); ++j) {
      if (fixed[i].key == fixed[j].key) made->keys_distinct_ = false;
    }
    if (fixed[i].key == messaging::attr::kMessagingKafkaMessageKey ||
        fixed[i].key == messaging::attr::kMessagingKafkaMessageTombstone) {
      made->keys_distinct_ = false;
    }
  }
  return made;
}

void MessageSpanTemplate::attributes_for(const MessageFields& fields,
                                         Attributes& out) const noexcept {
  for (std::size_t i = 0; i < attributes_.size(); ++i) {
    const Attribute& attribute = attributes_[i];
    switch (slots_[i]) {
      case Slot::kFixed:
        out.push_back(attribute);
        break;
      case Slot::kPartition:
        if (!fields.partition_id.empty()) out.push_back({attribute.key, fields.partition_id});
        break;
      case Slot::kBodySize:
        out.push_back({attribute.key, fields.body_size});
        break;
      case Slot::kOffset:
        if (fields.offset) out.push_back({attribute.key, *fields.offset});
        break;
    }
  }
  // The Kafka extras that vary per message come last, in add_kafka_attributes' order.
  if (const auto key = messaging::kafka_key_string(fields.key, fields.key_size)) {
    out.push_back({messaging::attr::kMessagingKafkaMessageKey, *key});
  }
  if (fields.tombstone) out.push_back({messaging::attr::kMessagingKafkaMessageTombstone, true});
}

const MessageSpanTemplate* SpanTemplateCache::get(std::string_view topic,
                                                  const messaging::MessagingOperation& op,
                                                  bool with_offset) noexcept {
  const MessageSpanTemplate* last = last_.load(std::memory_order_acquire);
  if (last != nullptr && last->topic() == topic) return last;
  const std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& existing : templates_) {
    if (existing->topic() == topic) {
      last_.store(existing.get(), std::memory_order_release);
      return existing.get();
    }
  }
  if (templates_.size() >= kMaxTopics) return nullptr;
  std::unique_ptr<MessageSpanTemplate> made = MessageSpanTemplate::make(topic, op, with_offset);
  if (made == nullptr) return nullptr;
  try {
    templates_.push_back(std::move(made));
  } catch (...) {
    return nullptr;
  }
  last_.store(templates_.back().get(), std::memory_order_release);
  return templates_.back().get();
}

namespace {

constexpr std::int32_t kCachedPartitions = 1024;

struct PartitionTable {
  char text[kCachedPartitions][4];
  std::uint8_t size[kCachedPartitions];

  PartitionTable() noexcept {
    for (std::int32_t p = 0; p < kCachedPartitions; ++p) {
      const messaging::DecimalString decimal(p);
      const std::string_view view = decimal.view();
      for (std::size_t i = 0; i < view.size(); ++i) text[p][i] = view[i];
      size[p] = static_cast<std::uint8_t>(view.size());
    }
  }
};

}  // namespace

std::string_view partition_text(std::int32_t partition,
                                messaging::DecimalString& scratch) noexcept {
  static const PartitionTable table;
  if (partition >= 0 && partition < kCachedPartitions) {
    const auto index = static_cast<std::size_t>(partition);
    return std::string_view(table.text[index], table.size[index]);
  }
  scratch = messaging::DecimalString(partition);
  return scratch.view();
}

}  // namespace hoptrace::kafka::detail
