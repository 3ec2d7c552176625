#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "hoptrace/core/detail/function_ref.h"

namespace hoptrace {

namespace detail {
struct TraceStateBlock;
class TraceStateWriter;
}  // namespace detail

/// Why a tracestate header was discarded.
enum class TraceStateError {
  kNone = 0,
  kInvalidKey,        ///< a key that breaks the Level 2 grammar (e.g. `@foo`, over 256 chars)
  kInvalidValue,      ///< empty, over 256 chars, or a character outside the value grammar
  kMissingEquals,     ///< a member that is not `key=value` and not empty
  kTooManyMembers,    ///< more than 32 members
  kTooLong,           ///< the raw header exceeds kMaxHeaderLength; not parsed at all
};

/// The W3C `tracestate` list (Level 2 grammar): an immutable value.
///
/// Storage: a header of up to kInlineCapacity characters (the common case: a few vendors'
/// short entries) is kept inside the TraceState itself, so parsing, copying and destroying it
/// never allocate; a longer one lives in one reference-counted heap block that copies share.
///
/// Parsing follows the W3C test suite: an invalid header is discarded whole. The stored form is
/// normalised (optional whitespace and empty members removed) and capped at kMaxPropagatedLength
/// by removing whole members, first those longer than 128 chars, then from the right.
///
/// Thread-safety: like any value, a TraceState may be read from many threads at once; copies
/// may be used and destroyed on any thread.
class TraceState {
 public:
  static constexpr std::size_t kMaxMembers = 32;
  static constexpr std::size_t kMaxKeyLength = 256;
  static constexpr std::size_t kMaxValueLength = 256;
  /// The combined length we guarantee to propagate and cap at.
  static constexpr std::size_t kMaxPropagatedLength = 512;
  /// Raw headers longer than this are rejected unread (a 10 MB tracestate costs O(1)).
  static constexpr std::size_t kMaxHeaderLength = 32 * 1024;
  /// Normalised headers up to this long are stored inline, without allocating.
  static constexpr std::size_t kInlineCapacity = 100;

  // The bytes are neither zeroed nor copied for an empty state (by far the most common one on
  // a messaging path): they are read only when length_ says they hold something.
  TraceState() noexcept : length_(0), members_(0) {}
  TraceState(const TraceState& other) noexcept : length_(other.length_), members_(other.members_) {
    if (length_ != 0) std::memcpy(bytes_, other.bytes_, sizeof bytes_);
    if (length_ == kOnHeap) retain();
  }
  /// Leaves `other` empty.
  TraceState(TraceState&& other) noexcept : length_(other.length_), members_(other.members_) {
    if (length_ != 0) std::memcpy(bytes_, other.bytes_, sizeof bytes_);
    other.length_ = 0;
    other.members_ = 0;
  }
  TraceState& operator=(const TraceState& other) noexcept {
    if (this != &other) {
      if (length_ == kOnHeap) release();
      if (other.length_ != 0) std::memcpy(bytes_, other.bytes_, sizeof bytes_);
      length_ = other.length_;
      members_ = other.members_;
      if (length_ == kOnHeap) retain();
    }
    return *this;
  }
  /// Leaves `other` empty.
  TraceState& operator=(TraceState&& other) noexcept {
    if (this != &other) {
      if (length_ == kOnHeap) release();
      if (other.length_ != 0) std::memcpy(bytes_, other.bytes_, sizeof bytes_);
      length_ = other.length_;
      members_ = other.members_;
      other.length_ = 0;
      other.members_ = 0;
    }
    return *this;
  }
  ~TraceState() {
    if (length_ == kOnHeap) release();
  }

  /// Parses a combined header value (several header lines joined with `,`). Never throws: an
  /// invalid header yields the empty state and, if `error` is given, the reason. Of duplicate
  /// keys (which senders must not produce) the first, left-most occurrence is kept. Allocates
  /// nothing when the normalised header fits in kInlineCapacity.
  static TraceState parse(std::string_view header, TraceStateError* error = nullptr) noexcept;

  static bool is_valid_key(std::string_view key) noexcept;
  static bool is_valid_value(std::string_view value) noexcept;

  bool empty() const noexcept { return length_ == 0; }
  std::size_t size() const noexcept { return members_; }
  /// The serialised list, ready to send (`k1=v1,k2=v2`); empty when there is nothing to send.
  /// The view lives until this TraceState is destroyed, assigned to or moved from (a short
  /// header lives inside the object, so a copy does not keep it alive: keep the TraceState
  /// itself for as long as you use the view).
  std::string_view header() const noexcept {
    if (length_ != kOnHeap) return std::string_view(bytes_, length_);
    return heap_header();
  }
  /// The value of `key`; the view lives as long as header()'s.
  std::optional<std::string_view> get(std::string_view key) const noexcept;
  /// Visits members left to right; stop by returning false. The views live as long as
  /// header()'s.
  void for_each(detail::FunctionRef<bool(std::string_view key, std::string_view value)> visit)
      const noexcept;

  /// A copy with `key` set to `value` and moved to the left (W3C mutation rules); the
  /// right-most member is dropped if that would make 33. Returns an unchanged copy when the key
  /// or value is invalid.
  TraceState with(std::string_view key, std::string_view value) const;
  /// A copy without `key`.
  TraceState without(std::string_view key) const;

  friend bool operator==(const TraceState& a, const TraceState& b) noexcept {
    return a.header() == b.header();
  }
  friend bool operator!=(const TraceState& a, const TraceState& b) noexcept { return !(a == b); }

 private:
  friend class detail::TraceStateWriter;
  // length_ value for a header stored in a heap block. bytes_ then holds the block pointer,
  // the text pointer and the 16-bit length (see kHeap*Offset), stored with memcpy.
  static constexpr std::uint8_t kOnHeap = 0xff;
  static constexpr std::size_t kHeapBlockOffset = 0;
  static constexpr std::size_t kHeapTextOffset = sizeof(void*);
  static constexpr std::size_t kHeapLengthOffset = 2 * sizeof(void*);
  static_assert(kInlineCapacity < kOnHeap, "inline lengths must not collide with kOnHeap");

  std::string_view heap_header() const noexcept {
    const char* text = nullptr;
    std::uint16_t length = 0;
    std::memcpy(&text, bytes_ + kHeapTextOffset, sizeof text);
    std::memcpy(&length, bytes_ + kHeapLengthOffset, sizeof length);
    return std::string_view(text, length);
  }
  void retain() const noexcept;
  void release() noexcept;

  // Byte-aligned on purpose: a SpanContext (26 bytes of ids and flags, then this) packs into
  // exactly two cache lines. Copied whole when non-empty (a fixed-size copy is cheaper than a
  // sized one); indeterminate while length_ is 0.
  char bytes_[kInlineCapacity];
  std::uint8_t length_;  // the inline header's length, or kOnHeap
  std::uint8_t members_;
};

}  // namespace hoptrace
