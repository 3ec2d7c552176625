#pragma once

#include <cstdint>
#include <memory>

#include "hoptrace/core/sdk/span_data.h"

namespace hoptrace::sdk {

/// Recycles SpanData objects so that, in steady state, recording a span allocates nothing.
///
/// The contract, for processors and exporters:
/// - The SDK takes every SpanData it records from acquire() and hands it to processors as a
///   plain `std::unique_ptr<SpanData>` (default deleter).
/// - Whoever ends up owning a finished span MAY give it back with release() once nothing reads
///   it any more (typically the batch processor after export_spans returns). Doing so is
///   optional: destroying the unique_ptr normally is always correct, it just frees the memory.
/// - After release() the object is reset and reused for another span on any thread; never keep
///   a pointer or a view (attribute strings!) into a released SpanData.
///
/// Thread-safety: both calls may be made from any thread. Each thread keeps a small cache of
/// free objects (no lock); caches exchange half-full batches with a shared list under a mutex,
/// so the lock is taken about once per 32 spans. The shared list is bounded; spare objects
/// beyond it, and objects that grew unusually large, are freed rather than kept.
///
/// The bound is 4096 idle objects plus every live Reservation. A processor that holds spans
/// in bulk (the batch processor: up to its queue size plus one export batch) reserves that
/// many, so the batch it releases after an export refills the pool instead of being freed
/// while the application threads allocate new ones in its place.
class SpanDataPool {
 public:
  /// Raises the pool's bound on idle objects by `count` while it lives. Movable, not
  /// copyable. When it is destroyed, idle objects beyond the lowered bound are freed.
  class Reservation {
   public:
    Reservation() noexcept = default;
    explicit Reservation(std::size_t count) noexcept;
    Reservation(Reservation&& other) noexcept;
    Reservation& operator=(Reservation&& other) noexcept;
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;
    ~Reservation();

    std::size_t count() const noexcept { return count_; }

   private:
    std::size_t count_ = 0;
  };

  /// How many idle objects the shared list may hold now (4096 plus live reservations).
  static std::size_t idle_bound() noexcept;

  /// A reset SpanData, or null when memory is exhausted. Never throws.
  static std::unique_ptr<SpanData> acquire() noexcept;
  /// Resets `span` (on the calling thread) and keeps it for reuse. Null is ignored.
  static void release(std::unique_ptr<SpanData> span) noexcept;

  /// Objects currently idle in the shared list (thread caches not included), for tests and
  /// diagnostics.
  static std::size_t shared_idle_count() noexcept;
};

}  // namespace hoptrace::sdk
