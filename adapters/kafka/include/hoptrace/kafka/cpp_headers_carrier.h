#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <optional>
#include <string_view>
#include <vector>

#include "hoptrace/core/carrier.h"
#include "hoptrace/kafka/headers_carrier.h"

/// \file
/// Carriers for librdkafka's C++ API (target `hoptrace::kafka_cpp`, built when rdkafka++ is
/// found). Same rules as the C carriers: last occurrence wins, NULL values are absent, set()
/// removes every existing value first.
///
/// For a consumed RdKafka::Message, prefer `HeadersReader::of(message->c_ptr())`: it reads the
/// message's headers in place without copying. RdKafka::Headers offers no such access, so the
/// readers below take one snapshot of the list (one allocation per value).

namespace hoptrace::kafka {

/// Read access to an `RdKafka::Headers` list: a snapshot taken at construction (later changes
/// to the list are not seen). Views it returns live as long as this reader.
class CppHeadersReader final : public CarrierReader {
 public:
  explicit CppHeadersReader(const RdKafka::Headers& headers);

  std::optional<std::string_view> get(std::string_view key) const noexcept override;
  void for_each_value(
      std::string_view key,
      hoptrace::detail::FunctionRef<bool(std::string_view value)> visit) const noexcept override;
  void for_each_key(
      hoptrace::detail::FunctionRef<bool(std::string_view key)> visit) const noexcept override;
  RepeatedKeys repeated_keys() const noexcept override { return RepeatedKeys::kLastWins; }

 private:
  std::vector<RdKafka::Headers::Header> headers_;
};

/// Write access to an `RdKafka::Headers` list (non-owning; one writer at a time). set() and
/// remove() allocate a std::string for the name (short names stay in its inline buffer);
/// remove_fields() reads the whole list once (RdKafka::Headers::get_all), which allocates.
class CppHeadersWriter final : public CarrierWriter {
 public:
  explicit CppHeadersWriter(RdKafka::Headers& headers) noexcept : headers_(headers) {}

  bool set(std::string_view key, std::string_view value) noexcept override;
  void remove(std::string_view key) noexcept override;
  void remove_fields(const FieldSet& fields) noexcept override;

 private:
  RdKafka::Headers& headers_;
};

}  // namespace hoptrace::kafka
