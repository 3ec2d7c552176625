#include "hoptrace/core/messaging/span_name.h"

namespace hoptrace::messaging {

SpanName SpanName::make(std::string_view operation_name, const Destination& destination,
                        std::string_view server_address, std::int64_t server_port) noexcept {
  SpanName name;
  InlineText<kCapacity>& text = name.text_;
  text.append(operation_name);
  std::string_view suffix;
  if (!destination.template_name.empty()) {
    suffix = destination.template_name;
  } else if (!destination.name.empty() && !destination.temporary && !destination.anonymous) {
    suffix = destination.name;
  }
  if (!suffix.empty()) {
    text.append(" ").append(suffix);
    return name;
  }
  if (destination.has_destination() || server_address.empty()) return name;

  text.append(" ");
  // `host:port` with an IPv6 literal would be ambiguous; URLs bracket it, so do we.
  const bool ipv6_literal =
      server_address.find(':') != std::string_view::npos && server_address.front() != '[';
  if (ipv6_literal) text.append("[");
  text.append(server_address);
  if (ipv6_literal) text.append("]");
  if (server_port > 0) text.append(":").append_integer(server_port);
  return name;
}

}  // namespace hoptrace::messaging
