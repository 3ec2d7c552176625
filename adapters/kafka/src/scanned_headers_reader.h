#pragma once

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "hoptrace/core/carrier.h"
#include "hoptrace/kafka/headers_carrier.h"

namespace hoptrace::kafka::detail {

// A HeadersReader for one extraction that first reads the names of a short header list once.
// Propagators ask for three or four keys (traceparent, tracestate, baggage, ...) and a traced
// message usually carries one of them; through HeadersReader each lookup costs a copy of the
// key (to NUL-terminate it) and a librdkafka reverse search with a strlen, several times what
// one pass over the list costs. Here a key no name is as long as is absent at once, and an
// exact key found among the names is looked up by librdkafka with that name (already
// NUL-terminated, so nothing is copied).
//
// Answers exactly as HeadersReader does: every name HeadersReader can match (exactly, or
// case-insensitively, which keeps the length) has the key's length, and the value comes from
// the same librdkafka call. Lists longer than kMaxScanned are not scanned (a pass would cost
// more than the lookups it saves): every lookup then goes to HeadersReader.
//
// A non-owning view, as HeadersReader; lives on the stack for one extraction.
class ScannedHeadersReader final : public CarrierReader {
 public:
  static constexpr std::size_t kMaxScanned = 8;

  ScannedHeadersReader(const rd_kafka_headers_t* headers, KeyMatch match) noexcept;

  std::optional<std::string_view> get(std::string_view key) const noexcept override;
  void for_each_value(
      std::string_view key,
      hoptrace::detail::FunctionRef<bool(std::string_view value)> visit) const noexcept override {
    if (may_hold(key.size())) reader_.for_each_value(key, visit);
  }
  void for_each_key(
      hoptrace::detail::FunctionRef<bool(std::string_view key)> visit) const noexcept override {
    reader_.for_each_key(visit);
  }
  RepeatedKeys repeated_keys() const noexcept override { return RepeatedKeys::kLastWins; }

  const HeadersReader& reader() const noexcept { return reader_; }

  // Whether some name may be `size` bytes long (always true when the list was not scanned).
  bool may_hold(std::size_t size) const noexcept {
    if (size < kLengthBits) return ((short_lengths_ >> size) & 1U) != 0;
    return long_names_;
  }

 private:
  static constexpr std::size_t kLengthBits = 64;

  HeadersReader reader_;
  KeyMatch match_;
  std::uint64_t short_lengths_ = ~std::uint64_t{0};  // bit n: a name of n bytes may be there
  bool long_names_ = true;                           // a name of kLengthBits+ bytes may be there
  bool scanned_ = false;
  std::size_t count_ = 0;
  // The scanned names as librdkafka hands them out (NUL-terminated, up to their first NUL),
  // and their lengths.
  const char* names_[kMaxScanned];
  std::size_t name_sizes_[kMaxScanned];
};

}  // namespace hoptrace::kafka::detail
