#pragma once

#include <librdkafka/rdkafka.h>

#include <optional>
#include <string_view>

#include "hoptrace/core/carrier.h"

namespace hoptrace::kafka {

/// How a HeadersReader matches header names against the (lowercase) keys propagators ask for.
enum class KeyMatch : std::uint8_t {
  /// Exact, byte-for-byte (spec §6.5 decision; what other Kafka instrumentations write).
  kExact,
  /// Exact first; when no header matches exactly, case-insensitively (for producers that write
  /// `Traceparent` or `X-B3-TraceId`).
  kExactThenCaseInsensitive,
};

/// Read access to a librdkafka header list (`rd_kafka_headers_t`) for propagators.
///
/// Kafka headers are (name, binary value) pairs; names may repeat and order is kept.
/// - get() returns the **last** occurrence of a name; when that occurrence has a NULL value the
///   name counts as absent (as OpenTelemetry Java's getter reads `lastHeader`).
/// - for_each_value() skips NULL values (an empty value is a value).
/// - Values are handed out as they are on the wire: binary, never copied.
///
/// A non-owning view: it must not outlive the headers, and every view it returns lives until
/// the headers are modified or destroyed (for a consumed message: until the message is
/// destroyed). A null header list reads as empty. Thread-safety: as the header list's (reading
/// from several threads at once is safe when nobody writes).
class HeadersReader final : public CarrierReader {
 public:
  explicit HeadersReader(const rd_kafka_headers_t* headers,
                         KeyMatch match = KeyMatch::kExact) noexcept
      : headers_(headers), match_(match) {}

  /// Reads the headers of a consumed (or delivered) message, parsing them if librdkafka has not
  /// yet (which it does lazily, once per message). A message without headers reads as empty.
  static HeadersReader of(rd_kafka_message_t* message, KeyMatch match = KeyMatch::kExact) noexcept;

  std::optional<std::string_view> get(std::string_view key) const noexcept override;
  void for_each_value(
      std::string_view key,
      hoptrace::detail::FunctionRef<bool(std::string_view value)> visit) const noexcept override;
  void for_each_key(
      hoptrace::detail::FunctionRef<bool(std::string_view key)> visit) const noexcept override;
  RepeatedKeys repeated_keys() const noexcept override { return RepeatedKeys::kLastWins; }

  const rd_kafka_headers_t* headers() const noexcept { return headers_; }

 private:
  const rd_kafka_headers_t* headers_;
  KeyMatch match_;
};

/// Write access to a librdkafka header list for propagators: set() removes every existing
/// header of that name, then appends one with the value's bytes (no NUL terminator); remove()
/// and remove_fields() remove every occurrence. librdkafka copies names and values, so callers
/// may pass views of stack buffers.
///
/// A non-owning view: the header list stays owned by whoever owned it (see librdkafka's rule
/// for `RD_KAFKA_V_HEADERS`: the message owns the list only once produce succeeds). Names longer
/// than kMaxKeySize bytes are refused (set returns false). Thread-safety: none; one writer.
class HeadersWriter final : public CarrierWriter {
 public:
  /// The longest header name set() and remove() accept (trace header names are short; the
  /// limit lets them be NUL-terminated on the stack for librdkafka).
  static constexpr std::size_t kMaxKeySize = 255;

  explicit HeadersWriter(rd_kafka_headers_t* headers) noexcept : headers_(headers) {}

  bool set(std::string_view key, std::string_view value) noexcept override;
  void remove(std::string_view key) noexcept override;
  void remove_fields(const FieldSet& fields) noexcept override;

  rd_kafka_headers_t* headers() const noexcept { return headers_; }

 private:
  rd_kafka_headers_t* headers_;
};

}  // namespace hoptrace::kafka
