#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hoptrace/core/carrier.h"

namespace hoptrace {

/// An in-memory carrier: an ordered list of (name, value) pairs with case-insensitive names.
/// For tests (users test their own instrumentation with it), the CLI, and any transport without
/// an adapter. Reusing one instance across messages avoids allocation once its strings have
/// grown to size.
///
/// Views it returns live until the carrier is next modified or destroyed.
class MemoryCarrier final : public CarrierReader, public CarrierWriter {
 public:
  explicit MemoryCarrier(RepeatedKeys repeated = RepeatedKeys::kLastWins) noexcept
      : repeated_(repeated) {}

  /// Appends a field without removing existing ones (to build multi-valued input).
  void add(std::string_view key, std::string_view value);
  void clear() noexcept { size_ = 0; }
  std::size_t size() const noexcept { return size_; }
  const std::pair<std::string, std::string>& at(std::size_t i) const { return fields_.at(i); }

  std::optional<std::string_view> get(std::string_view key) const noexcept override;
  void for_each_value(std::string_view key,
                      detail::FunctionRef<bool(std::string_view value)> visit) const
      noexcept override;
  void for_each_key(detail::FunctionRef<bool(std::string_view key)> visit) const
      noexcept override;
  RepeatedKeys repeated_keys() const noexcept override { return repeated_; }

  bool set(std::string_view key, std::string_view value) noexcept override;
  void remove(std::string_view key) noexcept override;
  void remove_fields(const FieldSet& fields) noexcept override;
  /// One pass over the fields: overwrites `key` in place (no allocation once its value has
  /// grown to size) and drops the keys listed.
  bool set_and_remove(std::string_view key, std::string_view value,
                      ArrayView<std::string_view> remove_keys) noexcept override;

 private:
  // Appends without looking for an existing `key`; false (and nothing added) when out of memory.
  bool append(std::string_view key, std::string_view value) noexcept;
  // Slots past size_ are kept so their string capacity is reused by the next add/set.
  std::vector<std::pair<std::string, std::string>> fields_;
  std::size_t size_ = 0;
  RepeatedKeys repeated_;
};

}  // namespace hoptrace
