#include "delivery_record.h"

#include <sys/mman.h>

#include <cstdlib>
#include <new>

#include "hoptrace/core/messaging/attributes.h"
#include "hoptrace/core/messaging/inline_text.h"
#include "hoptrace/core/messaging/messaging_error.h"
#include "span_template.h"

namespace hoptrace::kafka::detail {
namespace {

constexpr std::size_t kDefaultCapacity = std::size_t{1} << 20;
constexpr std::size_t kMaxCapacity = std::size_t{1} << 26;

std::size_t capacity_from_environment() noexcept {
  const char* text = std::getenv("HOPTRACE_KAFKA_MAX_PENDING_SPANS");
  if (text == nullptr || *text == '\0') return kDefaultCapacity;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || value == 0 || value > kMaxCapacity) return kDefaultCapacity;
  return static_cast<std::size_t>(value);
}

void end_with_error(Span& span, rd_kafka_resp_err_t error) noexcept {
  messaging::set_messaging_error(span, rd_kafka_err2name(error), rd_kafka_err2str(error));
  span.end();
}

}  // namespace

DeliveryRecordArena& DeliveryRecordArena::instance() noexcept {
  // Never destroyed: delivery reports may still arrive while static destructors run.
  static DeliveryRecordArena* const arena = new DeliveryRecordArena(capacity_from_environment());
  return *arena;
}

DeliveryRecordArena::DeliveryRecordArena(std::size_t capacity) noexcept {
  // MAP_NORESERVE: only the pages that records actually touch are committed, so memory follows
  // the peak number of messages awaiting delivery, not the capacity.
  void* memory = mmap(nullptr, capacity * sizeof(DeliveryRecord), PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (memory == MAP_FAILED) return;
  base_ = static_cast<unsigned char*>(memory);
  end_ = base_ + capacity * sizeof(DeliveryRecord);
  capacity_ = capacity;
}

DeliveryRecordArena::~DeliveryRecordArena() {
  if (base_ == nullptr) return;
  const std::uint32_t used = high_water_.load();
  for (std::uint32_t i = 0; i < used; ++i) at(i)->~DeliveryRecord();
  munmap(base_, capacity_ * sizeof(DeliveryRecord));
}

DeliveryRecord* DeliveryRecordArena::acquire() noexcept {
  std::uint64_t head = free_head_.load(std::memory_order_acquire);
  while ((head & 0xffffffffu) != 0) {
    const auto index = static_cast<std::uint32_t>((head & 0xffffffffu) - 1);
    DeliveryRecord* record = at(index);
    const std::uint64_t next_link = record->next_free.load(std::memory_order_relaxed);
    const std::uint64_t next = ((head >> 32) + 1) << 32 | next_link;
    if (free_head_.compare_exchange_weak(head, next, std::memory_order_acquire,
                                         std::memory_order_acquire)) {
      in_use_.fetch_add(1, std::memory_order_relaxed);
      return record;
    }
  }
  std::uint32_t fresh = high_water_.load(std::memory_order_relaxed);
  do {
    if (fresh >= capacity_) return nullptr;
  } while (!high_water_.compare_exchange_weak(fresh, fresh + 1, std::memory_order_relaxed));
  in_use_.fetch_add(1, std::memory_order_relaxed);
  return new (at(fresh)) DeliveryRecord();
}

void DeliveryRecordArena::release(DeliveryRecord* record) noexcept {
  // An ended span still holds its context (trace state, shared with other spans): drop it now,
  // or a free record would pin that memory until it is reused.
  record->span = Span();
  record->user_opaque = nullptr;
  record->batch = nullptr;
  record->span_partition = RD_KAFKA_PARTITION_UA;
  const auto link = static_cast<std::uint32_t>(record - at(0)) + 1;
  std::uint64_t head = free_head_.load(std::memory_order_relaxed);
  std::uint64_t next = 0;
  do {
    record->next_free.store(static_cast<std::uint32_t>(head & 0xffffffffu),
                            std::memory_order_relaxed);
    next = ((head >> 32) + 1) << 32 | link;
  } while (!free_head_.compare_exchange_weak(head, next, std::memory_order_release,
                                             std::memory_order_relaxed));
  in_use_.fetch_sub(1, std::memory_order_relaxed);
}

void release_batch_reference(BatchSend* batch, rd_kafka_resp_err_t error) noexcept {
  if (error != RD_KAFKA_RESP_ERR_NO_ERROR) {
    int expected = RD_KAFKA_RESP_ERR_NO_ERROR;
    batch->first_error.compare_exchange_strong(expected, error, std::memory_order_relaxed);
  }
  if (batch->pending.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  const auto first = static_cast<rd_kafka_resp_err_t>(batch->first_error.load());
  if (first != RD_KAFKA_RESP_ERR_NO_ERROR) {
    end_with_error(batch->span, first);
  } else {
    batch->span.end();
  }
  delete batch;
}

void finish_delivery(DeliveryRecord* record, const rd_kafka_message_t& message) noexcept {
  Span& span = record->span;
  if (span.is_recording()) {
    if (message.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      end_with_error(span, message.err);
    } else {
      if (message.partition != record->span_partition) {
        messaging::DecimalString scratch;
        span.set_attribute(messaging::attr::kMessagingDestinationPartitionId,
                           partition_text(message.partition, scratch));
      }
      if (message.offset >= 0) {
        span.set_attribute(messaging::attr::kMessagingKafkaOffset, message.offset);
      }
      span.end();
    }
  }
  if (record->batch != nullptr) release_batch_reference(record->batch, message.err);
  DeliveryRecordArena::instance().release(record);
}

void fail_record(DeliveryRecord* record, rd_kafka_resp_err_t error) noexcept {
  if (record->span.is_recording()) end_with_error(record->span, error);
  if (record->batch != nullptr) release_batch_reference(record->batch, error);
  DeliveryRecordArena::instance().release(record);
}

}  // namespace hoptrace::kafka::detail
