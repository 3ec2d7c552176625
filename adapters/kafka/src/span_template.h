#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoptrace/core/attribute.h"
#include "hoptrace/core/messaging/inline_text.h"
#include "hoptrace/core/messaging/inline_vector.h"
#include "hoptrace/core/messaging/messaging_operation.h"
#include "hoptrace/core/messaging/messaging_span.h"
#include "hoptrace/core/messaging/span_name.h"
#include "hoptrace/core/tracer.h"

namespace hoptrace::kafka::detail {

// What changes from one message to the next on a single-message span.
struct MessageFields {
  std::string_view partition_id;  // empty: unknown (no attribute)
  std::int64_t body_size = 0;
  std::optional<std::int64_t> offset;  // only where the template was built with one
  const void* key = nullptr;
  std::size_t key_size = 0;
  bool tombstone = false;
};

// The start of a single-message span (send, process) whose name, kind and most attributes
// depend only on the client and the topic. MessagingSpanStart builds all of that for every
// message (a 255-byte name buffer and ~12 attributes); a template builds it once per
// (client, topic, operation) and each message only copies the attributes and fills in its own
// fields, giving exactly the attributes, in the order, MessagingSpanStart gives.
//
// Immutable once built, so any number of threads may use one. Views into the client's strings
// (client id, server address) must outlive it; the topic is copied.
class MessageSpanTemplate {
 public:
  using Attributes =
      messaging::InlineVector<Attribute, messaging::MessagingSpanStart::kMaxAttributes>;

  // `op` describes the operation with its destination left empty; `with_partition`,
  // `with_body_size` and `with_offset` say which per-message attributes the operation carries.
  // Null when the template could not be built (out of memory, or more attributes than fit).
  static std::unique_ptr<MessageSpanTemplate> make(std::string_view topic,
                                                   const messaging::MessagingOperation& op,
                                                   bool with_offset) noexcept;

  MessageSpanTemplate(const MessageSpanTemplate&) = delete;
  MessageSpanTemplate& operator=(const MessageSpanTemplate&) = delete;

  const std::string& topic() const noexcept { return topic_; }
  std::string_view name() const noexcept { return name_.view(); }
  SpanKind kind() const noexcept { return kind_; }
  // True when no two attributes attributes_for() gives can share a key (checked when built):
  // the span start may then say so (SpanStartOptions::attributes_distinct).
  bool keys_distinct() const noexcept { return keys_distinct_; }
  // The attributes of one message's span, as MessagingSpanStart would build them.
  void attributes_for(const MessageFields& fields, Attributes& out) const noexcept;

 private:
  enum class Slot : std::uint8_t { kFixed, kPartition, kBodySize, kOffset };
  MessageSpanTemplate() = default;

  std::string topic_;
  messaging::SpanName name_;
  SpanKind kind_ = SpanKind::kInternal;
  bool keys_distinct_ = false;
  Attributes attributes_;
  Slot slots_[messaging::MessagingSpanStart::kMaxAttributes] = {};
};

// The templates of one client, one per topic, built on first use. get() is lock-free when the
// topic is the one last used (the common case: one producer, few topics); a new topic takes a
// lock once. Bounded: past kMaxTopics, get() returns null and callers take the generic path.
// Templates live as long as the cache. Thread-safe.
class SpanTemplateCache {
 public:
  static constexpr std::size_t kMaxTopics = 256;

  // `op` and `with_offset` as for MessageSpanTemplate::make, used only on a miss.
  const MessageSpanTemplate* get(std::string_view topic, const messaging::MessagingOperation& op,
                                 bool with_offset) noexcept;

 private:
  std::atomic<const MessageSpanTemplate*> last_{nullptr};
  std::mutex mutex_;
  std::vector<std::unique_ptr<MessageSpanTemplate>> templates_;
};

// A partition id as decimal text without formatting per message: ids below kCached come from a
// table built once; others are formatted into `scratch`. The view lives as long as `scratch`.
std::string_view partition_text(std::int32_t partition, messaging::DecimalString& scratch) noexcept;

}  // namespace hoptrace::kafka::detail
