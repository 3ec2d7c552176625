#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoptrace/core/detail/function_ref.h"

namespace hoptrace {

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

/// W3C baggage: an immutable, cheaply copyable list of entries (copies share storage; the
/// empty baggage allocates nothing). Keys keep their order; duplicates are never produced.
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

  /// Parses a combined header value (several header lines joined with `,`). Malformed members
  /// are dropped (reported in `error`, the first reason wins); valid ones are kept. Values are
  /// percent-decoded as UTF-8 (invalid sequences become U+FFFD); keys and properties are kept as
  /// sent. Of duplicate keys the last value wins, at the position of the first.
  static Baggage parse(std::string_view header, BaggageError* error = nullptr) noexcept;

  bool empty() const noexcept;
  std::size_t size() const noexcept;
  /// Decoded value of `key`; the view lives as long as this Baggage or any copy of it.
  std::optional<std::string_view> get(std::string_view key) const noexcept;
  void for_each(detail::FunctionRef<bool(const BaggageEntry&)> visit) const noexcept;

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
  explicit Baggage(std::shared_ptr<const std::vector<BaggageEntry>> entries) noexcept
      : entries_(std::move(entries)) {}
  std::shared_ptr<const std::vector<BaggageEntry>> entries_;
};

}  // namespace hoptrace
