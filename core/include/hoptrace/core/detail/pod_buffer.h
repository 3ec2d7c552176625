#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace hoptrace::detail {

/// A growable array of trivially copyable records for per-span storage. Unlike std::vector it
/// can hand out a slot without constructing it and reports a failed growth as false instead of
/// throwing, so a batch is reserved once and then filled with plain stores. clear() keeps the
/// capacity, so a recycled span stops allocating after its first few uses.
template <typename T>
class PodBuffer {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  PodBuffer() noexcept = default;
  PodBuffer(const PodBuffer& other) { copy_from(other); }
  PodBuffer& operator=(const PodBuffer& other) {
    if (this != &other) {
      size_ = 0;
      copy_from(other);
    }
    return *this;
  }
  PodBuffer(PodBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  PodBuffer& operator=(PodBuffer&& other) noexcept {
    if (this != &other) {
      std::free(data_);
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  ~PodBuffer() { std::free(data_); }

  /// Makes room for at least `extra` more records, growing geometrically. False when out of
  /// memory (nothing changes).
  bool reserve_more(std::size_t extra) noexcept {
    if (capacity_ - size_ >= extra) return true;
    std::size_t capacity = capacity_ == 0 ? 8 : 2 * capacity_;
    if (capacity < size_ + extra) capacity = size_ + extra;
    if (capacity > kMaxRecords) return false;
    void* grown = std::realloc(data_, capacity * sizeof(T));
    if (grown == nullptr) return false;
    data_ = static_cast<T*>(grown);
    capacity_ = capacity;
    return true;
  }
  /// The next slot, uninitialised; only within room made by reserve_more().
  T& push_reserved() noexcept { return data_[size_++]; }

  /// For a writer that fills reserved room itself: the records, and the new size once written
  /// (within the room made by reserve_more()).
  T* data() noexcept { return data_; }
  void resize_within_capacity(std::size_t size) noexcept { size_ = size; }

  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return capacity_; }
  T& operator[](std::size_t i) noexcept { return data_[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  T* begin() noexcept { return data_; }
  T* end() noexcept { return data_ + size_; }
  const T* begin() const noexcept { return data_; }
  const T* end() const noexcept { return data_ + size_; }
  void clear() noexcept { size_ = 0; }

 private:
  static constexpr std::size_t kMaxRecords = (std::size_t{1} << 31) / sizeof(T);

  void copy_from(const PodBuffer& other) {
    if (other.size_ == 0) return;
    if (!reserve_more(other.size_)) throw std::bad_alloc();
    std::memcpy(static_cast<void*>(data_), other.data_, other.size_ * sizeof(T));
    size_ = other.size_;
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace hoptrace::detail
