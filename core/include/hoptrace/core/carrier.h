#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoptrace/core/array_view.h"
#include "hoptrace/core/detail/function_ref.h"

namespace hoptrace {

/// How a carrier resolves a key that occurs more than once.
enum class RepeatedKeys {
  /// Broker carriers (Kafka headers, MQTT user properties, Redis fields): the last occurrence
  /// is the value, as the brokers' own instrumentations read it.
  kLastWins,
  /// HTTP field semantics (RFC 9110 §5.3): list-valued fields (tracestate, baggage) are joined
  /// with `,` in order, and two traceparent fields make the context invalid (W3C).
  kHttpFieldLines,
};

/// Read access to the trace fields of one message (or request). Implementations are thin,
/// non-owning views over a broker's own header structure: they never copy payloads.
///
/// Keys passed in by propagators are always lowercase. Whether a carrier also matches other
/// cases is part of its documentation (HTTP-style carriers match case-insensitively).
///
/// Lifetime: every string_view a reader hands out points into the carrier's underlying message
/// and stays valid until that message is modified or destroyed.
class CarrierReader {
 public:
  virtual ~CarrierReader() = default;

  /// The effective value of `key` (for kLastWins carriers the last occurrence), or nullopt when
  /// the key is absent or its value is NULL (Kafka distinguishes NULL from empty).
  virtual std::optional<std::string_view> get(std::string_view key) const noexcept = 0;

  /// Calls `visit` with each value of `key`, in message order, until it returns false.
  virtual void for_each_value(std::string_view key,
                              detail::FunctionRef<bool(std::string_view value)> visit) const
      noexcept = 0;

  /// Calls `visit` with each key in message order (repeated keys repeat), until it returns
  /// false.
  virtual void for_each_key(detail::FunctionRef<bool(std::string_view key)> visit) const
      noexcept = 0;

  virtual RepeatedKeys repeated_keys() const noexcept { return RepeatedKeys::kLastWins; }
};

/// A set of field names and name prefixes, matched case-insensitively. Built once at
/// configuration time; `matches` does not allocate.
class FieldSet {
 public:
  FieldSet() = default;
  FieldSet(std::initializer_list<std::string_view> keys,
           std::initializer_list<std::string_view> prefixes = {});

  void add_key(std::string_view key);
  void add_prefix(std::string_view prefix);
  void merge(const FieldSet& other);
  /// Removes `key` (and does not match it afterwards even if a prefix would).
  void exclude(std::string_view key);

  bool matches(std::string_view key) const noexcept;
  bool empty() const noexcept { return keys_.empty() && prefixes_.empty(); }
  const std::vector<std::string>& keys() const noexcept { return keys_; }
  const std::vector<std::string>& prefixes() const noexcept { return prefixes_; }

 private:
  std::vector<std::string> keys_;
  std::vector<std::string> prefixes_;
  std::vector<std::string> excluded_;
};

/// Write access to the trace fields of one outgoing message.
///
/// Writers copy what they are given before returning: callers may pass views of stack buffers.
class CarrierWriter {
 public:
  virtual ~CarrierWriter() = default;

  /// Sets `key` to `value`, replacing every existing value of `key` (so a forwarded message
  /// never carries two). Returns false when the carrier cannot hold it (e.g. an AMQP key over
  /// 255 bytes, or out of memory); the propagator counts that.
  virtual bool set(std::string_view key, std::string_view value) noexcept = 0;

  /// Removes every value of `key`.
  virtual void remove(std::string_view key) noexcept = 0;

  /// Removes every field whose name `fields` matches, in one pass where the carrier can.
  virtual void remove_fields(const FieldSet& fields) noexcept = 0;

  /// Sets `key` to `value` as set() does and removes every value of each of `remove_keys` as
  /// remove() does, in one call (propagators write one field and clear a stale companion, e.g.
  /// traceparent and tracestate). The default calls set() then remove() for each key; carriers
  /// override it to do both in one pass. A key both set and listed in `remove_keys` ends up set.
  /// Returns what set() returns.
  virtual bool set_and_remove(std::string_view key, std::string_view value,
                              ArrayView<std::string_view> remove_keys) noexcept;
};

}  // namespace hoptrace
