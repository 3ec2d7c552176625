#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hoptrace/core/attribute.h"
#include "hoptrace/core/detail/byte_arena.h"
#include "hoptrace/core/detail/function_ref.h"
#include "hoptrace/core/detail/pod_buffer.h"
#include "hoptrace/core/span.h"
#include "hoptrace/core/span_context.h"

namespace hoptrace::sdk {

class Resource;

/// The instrumentation library that created a span (OTLP's InstrumentationScope).
struct InstrumentationScope {
  std::string name;
  std::string version;
};

/// Attribute storage that does not allocate per attribute: entries index into one string arena
/// per span, so keys like `messaging.destination.name` cost a memcpy, not a malloc. Setting an
/// existing key replaces its value. Reading returns views into the arena; they stay valid until
/// the store is next modified.
class AttributeStore {
 public:
  /// Sets or replaces `key`. Returns false (and counts a drop) when `max_count` distinct keys
  /// are already present. String values longer than `max_value_length` are truncated.
  bool set(std::string_view key, AttributeValue value, std::size_t max_count,
           std::size_t max_value_length) noexcept;
  /// Sets each of `attributes` in order, exactly as set() called once per attribute would (a
  /// later duplicate key replaces the earlier value; drops are counted the same way), but
  /// makes room for the whole batch at once. This is how start attributes are stored.
  void set_all(ArrayView<Attribute> attributes, std::size_t max_count,
               std::size_t max_value_length) noexcept;
  /// As set_all, for attributes whose keys are known to be distinct (SpanStartOptions::
  /// attributes_distinct) stored into an empty store: appended in order without looking for
  /// an existing key. Empty keys and attributes past `max_count` are dropped and counted, long
  /// strings truncated, as set_all does. On a non-empty store it is set_all.
  void set_all_distinct(ArrayView<Attribute> attributes, std::size_t max_count,
                        std::size_t max_value_length) noexcept;
  /// Appends without looking for an existing key (for event and link attribute lists, whose
  /// keys the caller gives at once). Returns the index of the first appended entry.
  std::uint32_t append(ArrayView<Attribute> attributes, std::size_t max_count,
                       std::size_t max_value_length, std::uint32_t* dropped) noexcept;

  std::size_t size() const noexcept { return entries_.size(); }
  /// How many attributes fit before the store must grow. set_all and set_all_distinct leave
  /// room for kRoomAfterStart more, so the usual attribute set after start (e.g. a delivery
  /// report's offset) does not reallocate even in a fresh SpanData.
  std::size_t capacity() const noexcept { return entries_.capacity(); }
  static constexpr std::size_t kRoomAfterStart = 4;
  Attribute at(std::size_t i) const noexcept;
  std::uint32_t dropped() const noexcept { return dropped_; }
  void clear() noexcept;

 private:
  struct Entry {
    std::uint32_t key_offset;
    std::uint32_t key_length;
    AttributeValue::Type type;
    union {
      bool b;
      std::int64_t i;
      double d;
      struct {
        std::uint32_t offset;
        std::uint32_t length;
      } s;
    } v;
  };
  Entry* find(std::string_view key, std::uint64_t key_bit) noexcept;
  /// set() once room is made: entries_ has spare capacity and the arena has room for the key
  /// and the (truncated) value.
  bool set_reserved(std::string_view key, AttributeValue value, std::size_t max_count,
                    std::size_t max_value_length) noexcept;
  /// set_all and set_all_distinct: one loop, with or without the search for a stored key.
  template <bool kKeysDistinct>
  void set_batch(ArrayView<Attribute> attributes, std::size_t max_count,
                 std::size_t max_value_length) noexcept;
  /// Stores `value` in `e`; a string's (truncated) bytes go to bytes + used, which advances.
  static void write_value(Entry& e, AttributeValue value, char* bytes, std::uint32_t& used,
                          std::size_t max_value_length) noexcept;
  bool make_room(std::size_t entries, std::size_t bytes) noexcept;
  /// Room for a batch of start attributes (`bytes` of keys and values) and kRoomAfterStart
  /// more attributes of typical size.
  bool make_room_for_batch(std::size_t entries, std::size_t bytes) noexcept;

  hoptrace::detail::PodBuffer<Entry> entries_;
  hoptrace::detail::ByteArena arena_;
  /// One bit per stored key (a hash of it): a key whose bit is clear is certainly new, so the
  /// usual attribute skips the search for an existing key.
  std::uint64_t key_bits_ = 0;
  std::uint32_t dropped_ = 0;
};

/// One event on a span; its attributes are entries [first, first + count) of
/// SpanData::extra_attributes().
struct EventData {
  std::string name;
  Timestamp time;
  std::uint32_t first_attribute = 0;
  std::uint32_t attribute_count = 0;
  std::uint32_t dropped_attributes = 0;
};

/// One link; attributes as for EventData.
struct LinkData {
  SpanContext context;
  std::uint32_t first_attribute = 0;
  std::uint32_t attribute_count = 0;
  std::uint32_t dropped_attributes = 0;
};

/// A span as the built-in SDK records it and hands to processors and exporters. Fields are
/// written only by the thread that owns the Span until it ends; after on_end the SpanData is
/// immutable and owned by the processor chain.
struct SpanData {
  SpanContext context;
  SpanId parent_span_id;       ///< invalid for a root span
  bool parent_is_remote = false;
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  Timestamp start_time{};
  Timestamp end_time{};
  StatusCode status = StatusCode::kUnset;
  std::string status_description;

  AttributeStore attributes;        ///< the span's own attributes
  AttributeStore extra_attributes;  ///< storage for event and link attributes
  std::vector<EventData> events;
  std::vector<LinkData> links;
  std::uint32_t dropped_events = 0;
  std::uint32_t dropped_links = 0;

  /// Owned by the TracerProvider, which outlives every span it creates (its shutdown flushes
  /// all processors before these die).
  const Resource* resource = nullptr;
  const InstrumentationScope* scope = nullptr;

  /// Attribute i of an event or link.
  Attribute event_attribute(const EventData& e, std::uint32_t i) const noexcept {
    return extra_attributes.at(e.first_attribute + i);
  }
  Attribute link_attribute(const LinkData& l, std::uint32_t i) const noexcept {
    return extra_attributes.at(l.first_attribute + i);
  }
  /// Clears everything but keeps capacity, so a recycled SpanData allocates nothing.
  void reset() noexcept;
};

}  // namespace hoptrace::sdk
