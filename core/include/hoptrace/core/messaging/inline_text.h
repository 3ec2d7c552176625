#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "hoptrace/core/messaging/utf8.h"

namespace hoptrace::messaging {

/// Text of at most N bytes held inline: building it never allocates. Appending past the
/// capacity cuts the text at a UTF-8 sequence boundary and sets truncated(). A value type.
///
/// The buffer is left uninitialised and only its first size() bytes are ever read or copied:
/// a SpanName (255 bytes) is built per span start, and zero-filling or copying the whole
/// buffer cost more than the name itself.
template <std::size_t N>
class InlineText {
  static_assert(N > 0 && N <= 65535, "InlineText capacity must fit in 16 bits");

 public:
  static constexpr std::size_t kCapacity = N;

  // data_ is deliberately not initialised (see above).
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-member-init)
  InlineText() noexcept {}
  InlineText(const InlineText& other) noexcept : size_(other.size_), truncated_(other.truncated_) {
    std::memcpy(data_, other.data_, size_);
  }
  InlineText& operator=(const InlineText& other) noexcept {
    if (this != &other) {
      std::memcpy(data_, other.data_, other.size_);
      size_ = other.size_;
      truncated_ = other.truncated_;
    }
    return *this;
  }
  explicit InlineText(std::string_view text) noexcept { append(text); }

  /// Appends `text`, cut at a UTF-8 boundary when it does not fit.
  InlineText& append(std::string_view text) noexcept {
    const std::size_t n = utf8_prefix_length(text, N - size_);
    if (n < text.size()) truncated_ = true;
    if (n > 0) std::memcpy(data_ + size_, text.data(), n);
    size_ = static_cast<std::uint16_t>(size_ + n);
    return *this;
  }
  /// Appends a decimal integer, all or nothing (half a number would be a different number).
  InlineText& append_integer(std::int64_t value) noexcept {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof(digits), value);
    const auto length = static_cast<std::size_t>(result.ptr - digits);
    if (length > N - size_) {
      truncated_ = true;
    } else {
      std::memcpy(data_ + size_, digits, length);
      size_ = static_cast<std::uint16_t>(size_ + length);
    }
    return *this;
  }

  /// Lives as long as this object; invalidated by any change to it.
  std::string_view view() const noexcept { return std::string_view(data_, size_); }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  /// True when something did not fit.
  bool truncated() const noexcept { return truncated_; }

 private:
  char data_[N];  // only [0, size_) is ever written before being read
  std::uint16_t size_ = 0;
  bool truncated_ = false;
};

/// An integer as decimal text (e.g. a partition id, which semconv wants as a string).
class DecimalString {
 public:
  /// The empty string.
  DecimalString() noexcept = default;
  explicit DecimalString(std::int64_t value) noexcept { text_.append_integer(value); }
  /// Lives as long as this object.
  std::string_view view() const noexcept { return text_.view(); }

 private:
  InlineText<20> text_;
};

}  // namespace hoptrace::messaging
