#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "hoptrace/core/span.h"

namespace hoptrace::kafka::detail {

struct BatchSend;

// What travels through librdkafka as a traced message's per-message opaque: the span waiting
// for its delivery report and the opaque the user gave, restored before the user's callback
// sees the message.
struct DeliveryRecord {
  Span span;
  void* user_opaque = nullptr;
  BatchSend* batch = nullptr;
  // The partition the span already names (RD_KAFKA_PARTITION_UA: none yet): the delivery
  // report sets the attribute only when it differs.
  std::int32_t span_partition = RD_KAFKA_PARTITION_UA;
  std::atomic<std::uint32_t> next_free{0};
};

// Records live in one process-wide, contiguous, lazily committed mapping, so the delivery
// callback recognises its own records by address (no map, no lock, no tag in user memory) and
// at most `capacity` traced messages are ever waiting for a delivery report. Acquire and
// release are lock-free (an index stack with an ABA tag).
class DeliveryRecordArena {
 public:
  // HOPTRACE_KAFKA_MAX_PENDING_SPANS (default 1,048,576) sizes the mapping on first use.
  static DeliveryRecordArena& instance() noexcept;

  explicit DeliveryRecordArena(std::size_t capacity) noexcept;
  DeliveryRecordArena(const DeliveryRecordArena&) = delete;
  DeliveryRecordArena& operator=(const DeliveryRecordArena&) = delete;
  ~DeliveryRecordArena();

  // Null when every record is in use (the caller then ends its span without a delivery report).
  DeliveryRecord* acquire() noexcept;
  // The record's span must have been ended or moved out.
  void release(DeliveryRecord* record) noexcept;
  bool owns(const void* pointer) const noexcept {
    const auto* p = static_cast<const unsigned char*>(pointer);
    return p >= base_ && p < end_;
  }
  std::size_t capacity() const noexcept { return capacity_; }
  std::size_t in_use() const noexcept { return in_use_.load(std::memory_order_relaxed); }

 private:
  DeliveryRecord* at(std::uint32_t index) const noexcept {
    return reinterpret_cast<DeliveryRecord*>(base_) + index;
  }

  unsigned char* base_ = nullptr;
  unsigned char* end_ = nullptr;
  std::size_t capacity_ = 0;
  std::atomic<std::uint32_t> high_water_{0};
  // (tag << 32) | (index + 1); 0 = empty.
  std::atomic<std::uint64_t> free_head_{0};
  std::atomic<std::size_t> in_use_{0};
};

// A batch produce's Send span, ended by the delivery report of its last message.
struct BatchSend {
  Span span;
  std::atomic<std::uint32_t> pending{0};
  std::atomic<int> first_error{RD_KAFKA_RESP_ERR_NO_ERROR};
};

// Drops one reference to `batch`, remembering `error`; the last one ends the Send span (with
// the first error seen) and frees the batch.
void release_batch_reference(BatchSend* batch, rd_kafka_resp_err_t error) noexcept;
// Ends what `record` holds for a delivered (or failed) message and releases it.
void finish_delivery(DeliveryRecord* record, const rd_kafka_message_t& message) noexcept;
// Ends the span of a message librdkafka refused synchronously and releases the record.
void fail_record(DeliveryRecord* record, rd_kafka_resp_err_t error) noexcept;

}  // namespace hoptrace::kafka::detail
