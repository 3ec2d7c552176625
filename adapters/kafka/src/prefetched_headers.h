#pragma once

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "hoptrace/core/carrier.h"
#include "hoptrace/kafka/headers_carrier.h"

namespace hoptrace::kafka::detail {

// The header names a propagation reads by exact name (its fields' keys, e.g. `traceparent`,
// `tracestate`, `baggage`), looked up together in one pass over a message's headers. Views into
// the FieldSet it was built from, which must outlive it (a Propagation's does). Keys beyond
// kMaxKeys are not prefetched: they are read from the headers directly, as HeadersReader does.
class TraceHeaderKeys {
 public:
  static constexpr std::size_t kMaxKeys = 8;

  TraceHeaderKeys() noexcept = default;
  explicit TraceHeaderKeys(const FieldSet& fields) noexcept;

  std::size_t size() const noexcept { return size_; }
  std::string_view operator[](std::size_t index) const noexcept { return keys_[index]; }

 private:
  std::string_view keys_[kMaxKeys];
  std::size_t size_ = 0;
};

// A CarrierReader over a message's headers that reads every prefetched key in one pass when it
// is built (librdkafka's rd_kafka_header_get_last is a linear scan per call, and a propagation
// asks for each of its keys). It answers exactly as HeadersReader over the same headers would:
// the last occurrence wins, a NULL last occurrence is absent, for_each_value() skips NULLs and
// keeps order, the case-insensitive fallback applies when no header matches exactly. What it
// cannot answer from the pass (a key that occurs more than once, for for_each_value; a key not
// prefetched; for_each_key) goes to the HeadersReader it wraps.
//
// A non-owning view, like HeadersReader: the headers and the keys must outlive it, and so must
// every view it returns.
class PrefetchedHeadersReader final : public CarrierReader {
 public:
  PrefetchedHeadersReader(const rd_kafka_headers_t* headers, const TraceHeaderKeys& keys,
                          KeyMatch match = KeyMatch::kExact) noexcept;

  std::optional<std::string_view> get(std::string_view key) const noexcept override;
  void for_each_value(
      std::string_view key,
      hoptrace::detail::FunctionRef<bool(std::string_view value)> visit) const noexcept override;
  void for_each_key(
      hoptrace::detail::FunctionRef<bool(std::string_view key)> visit) const noexcept override;
  RepeatedKeys repeated_keys() const noexcept override { return RepeatedKeys::kLastWins; }

  const HeadersReader& headers() const noexcept { return reader_; }

 private:
  // Only the first keys.size() entries are initialised (and ever read).
  struct Found {
    const void* last_value;  // NULL values are kept: a NULL last occurrence is absent
    std::size_t last_size;
    std::size_t count;
  };
  const Found* find(std::string_view key) const noexcept;

  HeadersReader reader_;
  const TraceHeaderKeys* keys_;
  Found found_[TraceHeaderKeys::kMaxKeys];
};

}  // namespace hoptrace::kafka::detail
