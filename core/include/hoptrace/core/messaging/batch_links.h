#pragma once

#include <cstddef>
#include <cstdint>

#include "hoptrace/core/attribute.h"
#include "hoptrace/core/messaging/attributes.h"
#include "hoptrace/core/messaging/inline_text.h"
#include "hoptrace/core/messaging/inline_vector.h"
#include "hoptrace/core/span.h"
#include "hoptrace/core/span_context.h"

namespace hoptrace::messaging {

/// The default number of links per span: OTEL_SPAN_LINK_COUNT_LIMIT's default (128). More are
/// dropped by the SDK anyway unless the limit is raised.
inline constexpr std::size_t kDefaultBatchLinkCapacity = 128;

/// The links of a batch span, one per message creation context, each with its own attributes
/// (semconv: values that differ per message go on the links, e.g. `messaging.message.id`, or
/// partition and offset). Everything is stored inline: adding never allocates.
///
/// - Invalid creation contexts (a message that carried none) are skipped and counted.
/// - Links beyond `Capacity` are dropped and counted (dropped()); count the batch's messages
///   for `messaging.batch.message_count` yourself, not from size().
/// - Up to `AttributesPerLink` attributes are kept per link; further ones are cut.
/// - Attribute strings are borrowed (except the partition id, which is formatted inline) and
///   must outlive the span start.
///
/// Size: about `Capacity * (64 + 40 * AttributesPerLink + 24)` bytes (~25 KiB by default);
/// keep one as a member of a consumer loop and clear() it per batch rather than on a small
/// stack. Neither copyable nor movable: the links point into it. Not thread-safe.
template <std::size_t Capacity = kDefaultBatchLinkCapacity, std::size_t AttributesPerLink = 3>
class BatchLinks {
 public:
  BatchLinks() noexcept = default;
  BatchLinks(const BatchLinks&) = delete;
  BatchLinks& operator=(const BatchLinks&) = delete;

  /// Adds a link to `creation_context` with `attributes`. False when the context is invalid
  /// (skipped()) or the capacity is reached (dropped()).
  bool add(const SpanContext& creation_context, ArrayView<Attribute> attributes = {}) noexcept {
    return add_impl(creation_context, nullptr, attributes);
  }
  /// As add(), with `messaging.destination.partition.id` formatted from `partition` (Kafka
  /// partitions are integers, semconv wants a string) as the first link attribute.
  bool add_with_partition(const SpanContext& creation_context, std::int64_t partition,
                          ArrayView<Attribute> attributes = {}) noexcept {
    return add_impl(creation_context, &partition, attributes);
  }

  /// The links, in the order added; valid until the next change or destruction.
  ArrayView<Link> links() const noexcept { return links_.view(); }
  std::size_t size() const noexcept { return links_.size(); }
  /// Valid contexts that did not fit.
  std::size_t dropped() const noexcept { return dropped_; }
  /// Invalid contexts that were not linked.
  std::size_t skipped() const noexcept { return skipped_; }
  /// Forgets everything (for reuse with the next batch).
  void clear() noexcept {
    links_.clear();
    attributes_.clear();
    dropped_ = 0;
    skipped_ = 0;
  }

 private:
  bool add_impl(const SpanContext& context, const std::int64_t* partition,
                ArrayView<Attribute> attributes) noexcept {
    if (!context.is_valid()) {
      ++skipped_;
      return false;
    }
    if (links_.full()) {
      ++dropped_;
      return false;
    }
    const std::size_t index = links_.size();
    const std::size_t first = attributes_.size();
    std::size_t room = AttributesPerLink;
    if (partition != nullptr && room > 0) {
      partitions_[index] = DecimalString(*partition);
      attributes_.push_back(
          Attribute{attr::kMessagingDestinationPartitionId, partitions_[index].view()});
      --room;
    }
    for (const Attribute& attribute : attributes) {
      if (room == 0) break;
      attributes_.push_back(attribute);
      --room;
    }
    links_.push_back(Link{
        context, ArrayView<Attribute>(attributes_.data() + first, attributes_.size() - first)});
    return true;
  }

  InlineVector<Link, Capacity> links_;
  InlineVector<Attribute, Capacity*(AttributesPerLink > 0 ? AttributesPerLink : 1)> attributes_;
  DecimalString partitions_[Capacity] = {};
  std::size_t dropped_ = 0;
  std::size_t skipped_ = 0;
};

}  // namespace hoptrace::messaging
