#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hoptrace/core/messaging/destination.h"
#include "hoptrace/core/messaging/inline_text.h"

namespace hoptrace::messaging {

/// A messaging span name held in an inline buffer: building one never allocates.
///
/// The name is `{messaging.operation.name} {destination}` (semconv v1.44, spec §1.2), where
/// `{destination}` is the first of:
///   1. the destination template;
///   2. the destination name, if the destination is neither temporary nor anonymous;
///   3. `server.address:server.port`, only for operations without any destination (an IPv6
///      literal is written in brackets, `[::1]:9092`; the port is left out when unknown);
/// and the name is just `{messaging.operation.name}` when none applies.
///
/// Names longer than kCapacity bytes are cut at kCapacity, at a UTF-8 sequence boundary, and
/// truncated() reports it. A value type: copies are independent. view() lives as long as this
/// object and is invalidated by assignment to it.
class SpanName {
 public:
  /// The longest name in bytes. Backends index span names; a longer one is a cardinality or
  /// data bug, never a useful name.
  static constexpr std::size_t kCapacity = 255;

  /// An empty name.
  SpanName() noexcept = default;

  /// Builds the name of an operation following the rules above. `server_port` <= 0 means
  /// unknown.
  static SpanName make(std::string_view operation_name, const Destination& destination,
                       std::string_view server_address = {}, std::int64_t server_port = 0) noexcept;

  /// Lives as long as this object; invalidated by assignment to it.
  std::string_view view() const noexcept { return text_.view(); }
  std::size_t size() const noexcept { return text_.size(); }
  bool empty() const noexcept { return text_.empty(); }
  /// True when some of the name did not fit in kCapacity bytes.
  bool truncated() const noexcept { return text_.truncated(); }

 private:
  InlineText<kCapacity> text_;
};

/// Shorthand for SpanName::make.
inline SpanName make_span_name(std::string_view operation_name, const Destination& destination,
                               std::string_view server_address = {},
                               std::int64_t server_port = 0) noexcept {
  return SpanName::make(operation_name, destination, server_address, server_port);
}

}  // namespace hoptrace::messaging
