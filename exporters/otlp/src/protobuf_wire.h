#pragma once

// Protobuf wire-format primitives for the hand-written OTLP encoder and the response parser.
// Private to hoptrace::otlp.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace hoptrace::otlp::wire {

enum class WireType : std::uint8_t { kVarint = 0, kFixed64 = 1, kLength = 2, kFixed32 = 5 };

inline void put_varint(std::uint64_t v, std::string& out) {
  char buf[10];
  std::size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(static_cast<std::uint8_t>(v) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out.append(buf, n);
}

inline std::size_t varint_size(std::uint64_t v) noexcept {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

inline void put_tag(std::uint32_t field, WireType type, std::string& out) {
  put_varint((static_cast<std::uint64_t>(field) << 3) | static_cast<std::uint8_t>(type), out);
}

inline void put_fixed32(std::uint32_t field, std::uint32_t v, std::string& out) {
  put_tag(field, WireType::kFixed32, out);
  char buf[4];
  for (std::size_t i = 0; i < 4; ++i) buf[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  out.append(buf, 4);
}

inline void put_fixed64(std::uint32_t field, std::uint64_t v, std::string& out) {
  put_tag(field, WireType::kFixed64, out);
  char buf[8];
  for (std::size_t i = 0; i < 8; ++i) buf[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  out.append(buf, 8);
}

inline void put_double(std::uint32_t field, double v, std::string& out) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof(bits));
  put_fixed64(field, bits, out);
}

inline void put_uint(std::uint32_t field, std::uint64_t v, std::string& out) {
  put_tag(field, WireType::kVarint, out);
  put_varint(v, out);
}

inline void put_bytes(std::uint32_t field, const void* data, std::size_t size, std::string& out) {
  put_tag(field, WireType::kLength, out);
  put_varint(size, out);
  out.append(static_cast<const char*>(data), size);
}

inline void put_string(std::uint32_t field, std::string_view s, std::string& out) {
  put_bytes(field, s.data(), s.size(), out);
}

/// Starts a length-delimited sub-message: writes the tag and a one-byte length placeholder and
/// returns where the message body starts. Pass that to end_message once the body is written.
inline std::size_t begin_message(std::uint32_t field, std::string& out) {
  put_tag(field, WireType::kLength, out);
  out.push_back('\0');
  return out.size();
}

/// Writes the body length in front of the body started by begin_message. Bodies under 128
/// bytes (most attributes, values, events) fit the placeholder; longer ones shift the body
/// right by the extra length bytes, a memmove of the body only.
inline void end_message(std::size_t body_start, std::string& out) {
  const std::size_t length = out.size() - body_start;
  const std::size_t length_size = varint_size(length);
  if (length_size > 1) out.insert(body_start, length_size - 1, '\0');
  std::size_t pos = body_start - 1;
  std::uint64_t v = length;
  while (v >= 0x80) {
    out[pos++] = static_cast<char>(static_cast<std::uint8_t>(v) | 0x80);
    v >>= 7;
  }
  out[pos] = static_cast<char>(v);
}

/// Writes protobuf fields straight into a std::string used as a raw buffer: the caller
/// reserve()s an upper bound for what it is about to write, then every put is an unchecked
/// store, with no per-field capacity check or library call (std::string::append cost half of
/// the encoding time). finish() trims the string to what was written.
class Sink {
 public:
  /// Appends after the current end of `out`.
  explicit Sink(std::string& out) : out_(out), length_(out.size()) {}
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  /// Makes room for `n` more bytes.
  void reserve(std::size_t n) {
    if (out_.size() - length_ < n) out_.resize(std::max(out_.size() * 2, length_ + n));
  }
  /// Trims `out` to the bytes written. Call once, at the end.
  void finish() { out_.resize(length_); }

  std::size_t size() const noexcept { return length_; }

  void varint(std::uint64_t v) noexcept {
    char* p = &out_[length_];
    while (v >= 0x80) {
      *p++ = static_cast<char>(static_cast<std::uint8_t>(v) | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<char>(v);
    length_ = static_cast<std::size_t>(p - out_.data());
  }
  void tag(std::uint32_t field, WireType type) noexcept {
    varint((static_cast<std::uint64_t>(field) << 3) | static_cast<std::uint8_t>(type));
  }
  void raw(const void* data, std::size_t n) noexcept {
    char* dst = &out_[length_];
    const char* src = static_cast<const char*>(data);
    // Most fields are short (ids, keys, small values): fixed-size overlapping copies compile to
    // a few moves, where a variable-length memcpy is a library call.
    if (n >= 16 && n <= 32) {
      copy_fixed<16>(dst, src);
      copy_fixed<16>(dst + n - 16, src + n - 16);
    } else if (n >= 8 && n < 16) {
      copy_fixed<8>(dst, src);
      copy_fixed<8>(dst + n - 8, src + n - 8);
    } else if (n >= 4 && n < 8) {
      copy_fixed<4>(dst, src);
      copy_fixed<4>(dst + n - 4, src + n - 4);
    } else if (n < 4) {
      for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
    } else {
      std::memcpy(dst, src, n);
    }
    length_ += n;
  }
  void uint_field(std::uint32_t field, std::uint64_t v) noexcept {
    tag(field, WireType::kVarint);
    varint(v);
  }
  void fixed32_field(std::uint32_t field, std::uint32_t v) noexcept {
    tag(field, WireType::kFixed32);
    char b[4];
    for (std::size_t i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    raw(b, 4);
  }
  void fixed64_field(std::uint32_t field, std::uint64_t v) noexcept {
    tag(field, WireType::kFixed64);
    char b[8];
    for (std::size_t i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    raw(b, 8);
  }
  void double_field(std::uint32_t field, double v) noexcept {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(bits));
    fixed64_field(field, bits);
  }
  void bytes_field(std::uint32_t field, const void* data, std::size_t n) noexcept {
    tag(field, WireType::kLength);
    varint(n);
    raw(data, n);
  }
  void string_field(std::uint32_t field, std::string_view s) noexcept {
    bytes_field(field, s.data(), s.size());
  }

  /// Starts a sub-message: its tag and a length placeholder of `placeholder` bytes (1 to 3:
  /// pick the size the length usually needs). Returns where the body starts, for end_message.
  std::size_t begin_message(std::uint32_t field, std::size_t placeholder = 1) noexcept {
    tag(field, WireType::kLength);
    length_ += placeholder;
    return length_;
  }
  /// Writes the minimal varint of the body length in front of the body. When it needs a
  /// different number of bytes than the placeholder the body is shifted (a memmove of the body
  /// only); every reserve() bound must include kMaxLengthGrowth per sub-message.
  void end_message(std::size_t body_start, std::size_t placeholder = 1) noexcept {
    const std::size_t length = length_ - body_start;
    const std::size_t needed = varint_size(length);
    if (needed != placeholder) {
      const std::size_t new_start = body_start - placeholder + needed;
      std::memmove(&out_[new_start], &out_[body_start], length);
      length_ = new_start + length;
      body_start = new_start;
    }
    char* p = &out_[body_start - needed];
    std::uint64_t v = length;
    while (v >= 0x80) {
      *p++ = static_cast<char>(static_cast<std::uint8_t>(v) | 0x80);
      v >>= 7;
    }
    *p = static_cast<char>(v);
  }

  /// Extra bytes a sub-message's length may need beyond its one-byte placeholder.
  static constexpr std::size_t kMaxLengthGrowth = 4;

 private:
  template <std::size_t N>
  static void copy_fixed(char* dst, const char* src) noexcept {
    char tmp[N];
    std::memcpy(tmp, src, N);
    std::memcpy(dst, tmp, N);
  }

  std::string& out_;
  std::size_t length_;
};

/// A bounds-checked reader over untrusted bytes (a receiver's response).
class Reader {
 public:
  explicit Reader(std::string_view data) noexcept : data_(data) {}

  bool at_end() const noexcept { return pos_ >= data_.size(); }

  bool read_varint(std::uint64_t& v) noexcept {
    v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return false;
      const auto b = static_cast<std::uint8_t>(data_[pos_++]);
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  }

  /// Reads a tag; false at the end or on malformed input.
  bool read_tag(std::uint32_t& field, WireType& type) noexcept {
    std::uint64_t tag = 0;
    if (!read_varint(tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1FFFFFFF) return false;
    field = static_cast<std::uint32_t>(tag >> 3);
    type = static_cast<WireType>(tag & 7);
    return true;
  }

  bool read_length_delimited(std::string_view& out) noexcept {
    std::uint64_t n = 0;
    if (!read_varint(n) || n > data_.size() - pos_) return false;
    out = data_.substr(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return true;
  }

  /// Skips a field of `type`; false on malformed input or an unsupported (group) type.
  bool skip(WireType type) noexcept {
    std::uint64_t v = 0;
    std::string_view s;
    switch (type) {
      case WireType::kVarint:
        return read_varint(v);
      case WireType::kFixed64:
        return advance(8);
      case WireType::kFixed32:
        return advance(4);
      case WireType::kLength:
        return read_length_delimited(s);
    }
    return false;
  }

 private:
  bool advance(std::size_t n) noexcept {
    if (n > data_.size() - pos_) return false;
    pos_ += n;
    return true;
  }

  std::string_view data_;
  std::size_t pos_ = 0;
};

}  // namespace hoptrace::otlp::wire
