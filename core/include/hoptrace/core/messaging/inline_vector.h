#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

#include "hoptrace/core/array_view.h"

namespace hoptrace::messaging {

/// A vector with fixed capacity N and inline storage: it never allocates. Slots beyond size()
/// are left uninitialised (so an unused capacity costs nothing at construction). push_back on a
/// full vector returns false and changes nothing.
///
/// Elements never move while the vector lives (no reallocation), so views into it stay valid
/// until the element is removed or the vector destroyed. Not thread-safe.
template <typename T, std::size_t N>
class InlineVector {
  static_assert(N > 0, "an InlineVector needs some capacity");
  static_assert(std::is_nothrow_copy_constructible_v<T> && std::is_nothrow_destructible_v<T>,
                "InlineVector holds types that copy and destroy without throwing");

 public:
  InlineVector() noexcept {}  // NOLINT: storage_ is intentionally left uninitialised
  InlineVector(const InlineVector& other) noexcept {
    for (const T& item : other) push_back(item);
  }
  InlineVector& operator=(const InlineVector& other) noexcept {
    if (this != &other) {
      clear();
      for (const T& item : other) push_back(item);
    }
    return *this;
  }
  ~InlineVector() { clear(); }

  /// Appends a copy; false (and no change) when full.
  bool push_back(const T& value) noexcept {
    if (size_ == N) return false;
    ::new (static_cast<void*>(slot(size_))) T(value);
    ++size_;
    return true;
  }
  /// Removes every element.
  void clear() noexcept {
    if constexpr (!std::is_trivially_destructible_v<T>) {
      for (std::size_t i = 0; i < size_; ++i) data()[i].~T();
    }
    size_ = 0;
  }

  static constexpr std::size_t capacity() noexcept { return N; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  bool full() const noexcept { return size_ == N; }

  T* data() noexcept { return std::launder(reinterpret_cast<T*>(storage_)); }
  const T* data() const noexcept { return std::launder(reinterpret_cast<const T*>(storage_)); }
  T* begin() noexcept { return data(); }
  T* end() noexcept { return data() + size_; }
  const T* begin() const noexcept { return data(); }
  const T* end() const noexcept { return data() + size_; }
  T& operator[](std::size_t i) noexcept { return data()[i]; }
  const T& operator[](std::size_t i) const noexcept { return data()[i]; }

  /// A view of the elements; valid until the vector changes size or is destroyed.
  ArrayView<T> view() const noexcept { return ArrayView<T>(data(), size_); }

 private:
  unsigned char* slot(std::size_t i) noexcept { return storage_ + i * sizeof(T); }

  alignas(T) unsigned char storage_[N * sizeof(T)];
  std::size_t size_ = 0;
};

}  // namespace hoptrace::messaging
