#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "hoptrace/core/detail/function_ref.h"

namespace hoptrace {

namespace detail {
struct BaggageBlock;
}  // namespace detail

/// One W3C baggage member: decoded key and value, and its properties as they were sent
/// (`;`-separated, still percent-encoded, without the leading `;`).
struct BaggageEntry {
  std::string key;
  std::string value;
  std::string properties;
};

/// Why (part of) a baggage header was dropped.
enum class BaggageError {
  kNone = 0,
  kMalformedMember,   ///< a member that breaks the grammar was dropped
  kMemberTooLong,     ///< a member over kMaxMemberBytes was dropped whole
  kTooManyMembers,    ///< members past kMaxMembers were dropped
  kTooLong,           ///< members past kMaxTotalBytes were dropped
};

/// W3C baggage: an immutable, cheaply copyable list of entries. Keys keep their order;
/// duplicates are never produced.
///
/// Storage: every key, decoded value and properties string lives in one reference-counted block,
/// so a parse costs one allocation and a copy one atomic increment; the empty baggage allocates
/// nothing. Copies share the block, so views handed out live as long as any copy.
///
/// Limits (spec decision): everything within 64 members and 8192 bytes is always kept; beyond
/// that whole members are dropped at the caps below, never partial ones.
class Baggage {
 public:
  static constexpr std::size_t kMaxMembers = 180;
  static constexpr std::size_t kMaxMemberBytes = 4096;
  static constexpr std::size_t kMaxTotalBytes = 8192;
  /// Raw headers longer than this are not read past this point (limits cost on hostile input).
  static constexpr std::size_t kMaxHeaderLength = 64 * 1024;

  Baggage() noexcept = default;
  Baggage(const Baggage& other) noexcept;
  /// Leaves `other` empty.
  Baggage(Baggage&& other) noexcept : block_(other.block_) { other.block_ = nullptr; }
  Baggage& operator=(const Baggage& other) noexcept;
  /// Leaves `other` empty.
  Baggage& operator=(Baggage&& other) noexcept;
  ~Baggage();

  /// Parses a combined header value (several header lines joined with `,`). Malformed members
  /// are dropped (reported in `error`, the first reason wins); valid ones are kept. Values are
  /// percent-decoded as UTF-8 (invalid sequences become U+FFFD); keys and properties are kept as
  /// sent. Of duplicate keys the last value wins, at the position of the first.
  static Baggage parse(std::string_view header, BaggageError* error = nullptr) noexcept;

  bool empty() const noexcept { return block_ == nullptr; }
  std::size_t size() const noexcept;
  /// Decoded value of `key`; the view lives as long as this Baggage or any copy of it.
  std::optional<std::string_view> get(std::string_view key) const noexcept;
  /// Visits entries in order as BaggageEntry copies (convenient, but each visit allocates the
  /// entry's strings: prefer for_each_view on a hot path).
  void for_each(detail::FunctionRef<bool(const BaggageEntry&)> visit) const noexcept;
  /// Visits entries in order without copying: key, decoded value and properties (as sent, without
  /// the leading `;`). Stop by returning false. The views live as long as this Baggage or any
  /// copy of it.
  void for_each_view(detail::FunctionRef<bool(std::string_view key, std::string_view value,
                                              std::string_view properties)>
                         visit) const noexcept;

  /// A copy with `key` set (an existing entry is replaced in place, otherwise appended). The
  /// value may hold any bytes (serialize() percent-encodes them). Returns an unchanged copy when
  /// `key` is not an RFC 9110 token or `properties` break the W3C property grammar.
  Baggage with(std::string_view key, std::string_view value,
               std::string_view properties = {}) const;
  Baggage without(std::string_view key) const;

  /// Appends the encoded header value (`k=v;prop,k2=v2`) to `out`, respecting the caps.
  void serialize(std::string& out) const;
  std::string to_header() const;

 private:
  friend struct detail::BaggageBlock;
  explicit Baggage(detail::BaggageBlock* block) noexcept : block_(block) {}
  detail::BaggageBlock* block_ = nullptr;  // null when empty; otherwise holds >= 1 entry
};

}  // namespace hoptrace
