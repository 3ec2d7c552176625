#pragma once

// A bounded lock-free queue of SpanData pointers for BatchSpanProcessor: many producers, one
// consumer (D. Vyukov's bounded MPMC ring, with the consumer side simplified). Private.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "hoptrace/core/sdk/span_data.h"

namespace hoptrace::sdk {

class BoundedSpanQueue {
 public:
  explicit BoundedSpanQueue(std::size_t capacity)
      : cells_(std::make_unique<Cell[]>(capacity)),
        capacity_(capacity),
        mask_((capacity & (capacity - 1)) == 0 ? capacity - 1 : 0) {
    for (std::size_t i = 0; i < capacity; ++i) {
      cells_[i].sequence.store(i, std::memory_order_relaxed);
    }
  }

  /// Any thread. False when full. On success `*position` is the slot's ticket: the number of
  /// pushes (successful or in progress) that came before it.
  bool try_push(SpanData* span, std::uint64_t* position) noexcept {
    std::uint64_t pos = enqueue_pos_.load(std::memory_order_relaxed);
    for (;;) {
      Cell& cell = cells_[index(pos)];
      const std::uint64_t seq = cell.sequence.load(std::memory_order_acquire);
      const auto diff = static_cast<std::int64_t>(seq - pos);
      if (diff == 0) {
        // seq_cst (free on x86, where any CAS is a full barrier) so BatchSpanProcessor can pair
        // this push with its wake-up flag without a lost wake-up.
        if (enqueue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_seq_cst,
                                               std::memory_order_relaxed)) {
          cell.span = span;
          cell.sequence.store(pos + 1, std::memory_order_release);
          *position = pos;
          return true;
        }
      } else if (diff < 0) {
        return false;  // the slot still holds a span from one lap ago: full
      } else {
        pos = enqueue_pos_.load(std::memory_order_relaxed);
      }
    }
  }

  /// The single consumer only. Null when empty or when the next slot is claimed but its
  /// producer has not finished writing it yet.
  SpanData* try_pop() noexcept {
    const std::uint64_t pos = dequeue_pos_.load(std::memory_order_relaxed);
    Cell& cell = cells_[index(pos)];
    const std::uint64_t seq = cell.sequence.load(std::memory_order_acquire);
    if (seq != pos + 1) return nullptr;
    SpanData* span = cell.span;
    cell.sequence.store(pos + capacity_, std::memory_order_release);
    dequeue_pos_.store(pos + 1, std::memory_order_release);
    return span;
  }

  /// Pushes claimed so far (including ones still being written).
  std::uint64_t pushed() const noexcept { return enqueue_pos_.load(std::memory_order_seq_cst); }
  /// Pops so far.
  std::uint64_t popped() const noexcept { return dequeue_pos_.load(std::memory_order_acquire); }
  /// Claimed minus popped; may be momentarily stale, never negative.
  std::size_t size_approx() const noexcept {
    const std::uint64_t out = popped();
    const std::uint64_t in = pushed();
    return in > out ? static_cast<std::size_t>(in - out) : 0;
  }
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  struct Cell {
    std::atomic<std::uint64_t> sequence{0};
    SpanData* span = nullptr;
  };

  std::size_t index(std::uint64_t pos) const noexcept {
    return mask_ != 0 ? static_cast<std::size_t>(pos & mask_)
                      : static_cast<std::size_t>(pos % capacity_);
  }

  std::unique_ptr<Cell[]> cells_;
  const std::size_t capacity_;
  const std::uint64_t mask_;  // 0 when the capacity is not a power of two
  alignas(64) std::atomic<std::uint64_t> enqueue_pos_{0};
  alignas(64) std::atomic<std::uint64_t> dequeue_pos_{0};
};

}  // namespace hoptrace::sdk
