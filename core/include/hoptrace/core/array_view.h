#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <vector>

namespace hoptrace {

/// A read-only view of contiguous elements (C++17 has no std::span). It never owns: the
/// elements must outlive the view. Built from a braced list it lives until the end of the
/// full expression, which is exactly long enough for a function argument.
template <typename T>
class ArrayView {
 public:
  constexpr ArrayView() noexcept = default;
  constexpr ArrayView(const T* data, std::size_t size) noexcept : data_(data), size_(size) {}
// GCC warns that a view of an initializer_list does not extend the list's lifetime. That is the
// documented contract here: the list lives until the end of the full expression (the call).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  constexpr ArrayView(std::initializer_list<T> list) noexcept  // NOLINT(google-explicit-constructor)
      : data_(list.begin()), size_(list.size()) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  template <typename Allocator>
  ArrayView(const std::vector<T, Allocator>& v) noexcept  // NOLINT(google-explicit-constructor)
      : data_(v.data()), size_(v.size()) {}
  template <std::size_t N>
  constexpr ArrayView(const std::array<T, N>& a) noexcept  // NOLINT(google-explicit-constructor)
      : data_(a.data()), size_(N) {}
  template <std::size_t N>
  constexpr ArrayView(const T (&a)[N]) noexcept  // NOLINT(google-explicit-constructor)
      : data_(a), size_(N) {}

  constexpr const T* begin() const noexcept { return data_; }
  constexpr const T* end() const noexcept { return data_ + size_; }
  constexpr const T* data() const noexcept { return data_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  constexpr const T& operator[](std::size_t i) const noexcept { return data_[i]; }

 private:
  const T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace hoptrace
