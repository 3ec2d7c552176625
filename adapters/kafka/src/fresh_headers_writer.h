#pragma once

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <string_view>

#include "hoptrace/core/carrier.h"

namespace hoptrace::kafka::detail {

// A writer for a header list created for one message and holding only what this writer put in
// it (what the traced producer and new_trace_headers() inject into). Nothing stale can be there,
// so set() appends without the removal scan HeadersWriter needs for a user's list; a key is only
// looked for among the headers this writer added (a propagator may set a key twice, and
// tracecontext removes `tracestate` after setting `traceparent`). Same contract as
// HeadersWriter otherwise.
class FreshHeadersWriter final : public CarrierWriter {
 public:
  explicit FreshHeadersWriter(rd_kafka_headers_t* headers) noexcept : headers_(headers) {}

  bool set(std::string_view key, std::string_view value) noexcept override;
  void remove(std::string_view key) noexcept override;
  void remove_fields(const FieldSet& fields) noexcept override;
  // As set() after remove() of each of `remove_keys`, without the calls when the list is still
  // empty (tracecontext's first write: traceparent, clearing a stale tracestate).
  bool set_and_remove(std::string_view key, std::string_view value,
                      ArrayView<std::string_view> remove_keys) noexcept override;

 private:
  bool holds(std::string_view key) const noexcept;
  void forget_removed() noexcept;

  // The name sizes of the first kRemembered headers added: a key of another size cannot be
  // among them, so most lookups (tracecontext's `tracestate` after `traceparent`) end without
  // reading the list.
  static constexpr std::size_t kRemembered = 8;

  rd_kafka_headers_t* headers_;
  std::size_t added_ = 0;  // headers in the list, all of them ours
  std::size_t name_sizes_[kRemembered];
};

// Removes every header named `name` (librdkafka needs it NUL-terminated; a name containing a NUL
// matches nothing). Shared with HeadersWriter.
void remove_headers_named(rd_kafka_headers_t* headers, std::string_view name) noexcept;

// True when the NUL-terminated `c_name` equals `key`, without measuring `c_name` first.
inline bool c_name_equals(const char* c_name, std::string_view key) noexcept {
  for (const char c : key) {
    if (*c_name != c || c == '\0') return false;
    ++c_name;
  }
  return *c_name == '\0';
}

}  // namespace hoptrace::kafka::detail
