#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hoptrace/core/detail/function_ref.h"

namespace hoptrace {

namespace detail {
struct TraceStateData;
}

/// Why a tracestate header was discarded.
enum class TraceStateError {
  kNone = 0,
  kInvalidKey,        ///< a key that breaks the Level 2 grammar (e.g. `@foo`, over 256 chars)
  kInvalidValue,      ///< empty, over 256 chars, or a character outside the value grammar
  kMissingEquals,     ///< a member that is not `key=value` and not empty
  kTooManyMembers,    ///< more than 32 members
  kTooLong,           ///< the raw header exceeds kMaxHeaderLength; not parsed at all
};

/// The W3C `tracestate` list (Level 2 grammar): an immutable, cheaply copyable value. Copies
/// share one validated buffer; the empty state allocates nothing.
///
/// Parsing follows the W3C test suite: an invalid header is discarded whole. The stored form is
/// normalised (optional whitespace and empty members removed) and capped at kMaxPropagatedLength
/// by removing whole members, first those longer than 128 chars, then from the right.
class TraceState {
 public:
  static constexpr std::size_t kMaxMembers = 32;
  static constexpr std::size_t kMaxKeyLength = 256;
  static constexpr std::size_t kMaxValueLength = 256;
  /// The combined length we guarantee to propagate and cap at.
  static constexpr std::size_t kMaxPropagatedLength = 512;
  /// Raw headers longer than this are rejected unread (a 10 MB tracestate costs O(1)).
  static constexpr std::size_t kMaxHeaderLength = 32 * 1024;

  TraceState() noexcept = default;

  /// Parses a combined header value (several header lines joined with `,`). Never throws: an
  /// invalid header yields the empty state and, if `error` is given, the reason. Of duplicate
  /// keys (which senders must not produce) the first, left-most occurrence is kept.
  static TraceState parse(std::string_view header, TraceStateError* error = nullptr) noexcept;

  static bool is_valid_key(std::string_view key) noexcept;
  static bool is_valid_value(std::string_view value) noexcept;

  bool empty() const noexcept { return data_ == nullptr; }
  std::size_t size() const noexcept;
  /// The serialised list, ready to send (`k1=v1,k2=v2`); empty when there is nothing to send.
  /// The view lives as long as this TraceState or any copy of it.
  std::string_view header() const noexcept;
  /// The value of `key`; the view lives as long as this TraceState or any copy of it.
  std::optional<std::string_view> get(std::string_view key) const noexcept;
  /// Visits members left to right; stop by returning false.
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
  explicit TraceState(std::shared_ptr<const detail::TraceStateData> data) noexcept
      : data_(std::move(data)) {}
  std::shared_ptr<const detail::TraceStateData> data_;
};

}  // namespace hoptrace
