#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>
#include <utility>

namespace hoptrace::detail {

/// A growable byte buffer addressed by 32-bit offsets, for the strings of one span. Appending is
/// one capacity check and one memcpy (std::string::append does several out-of-line checks), and
/// clear() keeps the capacity, so a recycled span stops allocating after its first few uses.
class ByteArena {
 public:
  static constexpr std::uint32_t kMaxBytes = 1u << 30;

  ByteArena() noexcept = default;
  ByteArena(const ByteArena& other) { copy_from(other); }
  ByteArena& operator=(const ByteArena& other) {
    if (this != &other) {
      size_ = 0;
      copy_from(other);
    }
    return *this;
  }
  ByteArena(ByteArena&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  ByteArena& operator=(ByteArena&& other) noexcept {
    if (this != &other) {
      std::free(data_);
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  ~ByteArena() { std::free(data_); }

  /// Appends `s`; returns false (and changes nothing) when out of memory or past kMaxBytes.
  bool append(std::string_view s, std::uint32_t* offset) noexcept {
    const std::size_t needed = static_cast<std::size_t>(size_) + s.size();
    if (needed > capacity_ && !grow(needed)) return false;
    if (!s.empty()) std::memcpy(data_ + size_, s.data(), s.size());
    *offset = size_;
    size_ = static_cast<std::uint32_t>(needed);
    return true;
  }

  /// Makes room for `extra` more bytes, so the next appends totalling at most `extra` need no
  /// capacity check (append_reserved). False when out of memory or past kMaxBytes.
  bool reserve(std::size_t extra) noexcept {
    const std::size_t needed = static_cast<std::size_t>(size_) + extra;
    return needed <= capacity_ || grow(needed);
  }
  /// Appends `s` into room made by reserve(); returns its offset. Short strings (the usual
  /// attribute keys and values) are copied with a few overlapping word moves, not a call.
  std::uint32_t append_reserved(std::string_view s) noexcept {
    const std::uint32_t offset = size_;
    copy_bytes(data_ + size_, s.data(), s.size());
    size_ += static_cast<std::uint32_t>(s.size());
    return offset;
  }

  /// For a writer that fills reserved room itself (keeping the size in a register while it
  /// copies, which stores through `this` would prevent): the buffer, and the new size once
  /// written. `size` must stay within the room made by reserve().
  char* data() noexcept { return data_; }
  void resize_within_capacity(std::uint32_t size) noexcept { size_ = size; }
  /// memcpy for the short strings of attributes: a few overlapping moves, no call. Attribute
  /// keys run past 32 bytes (`messaging.destination.partition.id`), so up to 64 bytes are
  /// copied inline.
  static void copy_bytes(char* to, const char* from, std::size_t n) noexcept {
    if (n > 16 && n <= 64) {
      // Two (or four) possibly overlapping 16-byte moves cover any length in (16, 64].
      copy16(to, from);
      copy16(to + n - 16, from + n - 16);
      if (n > 32) {
        copy16(to + 16, from + 16);
        copy16(to + n - 32, from + n - 32);
      }
    } else if (n >= 8 && n <= 16) {
      std::uint64_t a, b;
      std::memcpy(&a, from, 8);
      std::memcpy(&b, from + n - 8, 8);
      std::memcpy(to, &a, 8);
      std::memcpy(to + n - 8, &b, 8);
    } else if (n >= 4 && n < 8) {
      std::uint32_t a, b;
      std::memcpy(&a, from, 4);
      std::memcpy(&b, from + n - 4, 4);
      std::memcpy(to, &a, 4);
      std::memcpy(to + n - 4, &b, 4);
    } else if (n < 4) {
      for (std::size_t i = 0; i < n; ++i) to[i] = from[i];
    } else {
      std::memcpy(to, from, n);
    }
  }

  std::string_view view(std::uint32_t offset, std::uint32_t length) const noexcept {
    return std::string_view(data_ + offset, length);
  }
  std::uint32_t size() const noexcept { return size_; }
  void clear() noexcept { size_ = 0; }

 private:
  bool grow(std::size_t needed) noexcept {
    if (needed > kMaxBytes) return false;
    std::size_t capacity = capacity_ == 0 ? 256 : capacity_;
    while (capacity < needed) capacity *= 2;
    if (capacity > kMaxBytes) capacity = kMaxBytes;
    void* grown = std::realloc(data_, capacity);
    if (grown == nullptr) return false;
    data_ = static_cast<char*>(grown);
    capacity_ = static_cast<std::uint32_t>(capacity);
    return true;
  }
  // One unaligned 16-byte move (a single vector load and store where the target has them).
  static void copy16(char* to, const char* from) noexcept {
    struct Block {
      char bytes[16];
    };
    Block b;
    std::memcpy(&b, from, 16);
    std::memcpy(to, &b, 16);
  }
  void copy_from(const ByteArena& other) {
    if (other.size_ == 0) return;
    if (other.size_ > capacity_ && !grow(other.size_)) throw std::bad_alloc();
    std::memcpy(data_, other.data_, other.size_);
    size_ = other.size_;
  }

  char* data_ = nullptr;
  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = 0;
};

}  // namespace hoptrace::detail
