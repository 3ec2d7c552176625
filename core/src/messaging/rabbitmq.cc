#include "hoptrace/core/messaging/rabbitmq.h"

#include <limits>

#include "hoptrace/core/messaging/attributes.h"

namespace hoptrace::messaging {

namespace {
void append_part(RabbitmqDestinationName& name, std::string_view part) noexcept {
  if (part.empty()) return;
  if (!name.empty()) name.append(":");
  name.append(part);
}
}  // namespace

RabbitmqDestinationName rabbitmq_send_destination(std::string_view exchange,
                                                  std::string_view routing_key) noexcept {
  RabbitmqDestinationName name;
  if (exchange.empty() && routing_key.empty())
    return RabbitmqDestinationName(kRabbitmqDefaultExchangeName);
  append_part(name, exchange);
  append_part(name, routing_key);
  return name;
}

RabbitmqDestinationName rabbitmq_consume_destination(std::string_view exchange,
                                                     std::string_view routing_key,
                                                     std::string_view queue) noexcept {
  RabbitmqDestinationName name;
  append_part(name, exchange);
  append_part(name, routing_key);
  if (queue != routing_key) append_part(name, queue);
  return name;
}

bool add_rabbitmq_attributes(MessagingOperation& op, std::string_view routing_key,
                             std::optional<std::uint64_t> delivery_tag) noexcept {
  const OperationType type = op.type;
  bool ok = true;
  const bool routing_key_applies = type == OperationType::kSend ||
                                   type == OperationType::kReceive ||
                                   type == OperationType::kProcess;
  if (routing_key_applies && !routing_key.empty()) {
    ok &= op.add_attribute(attr::kMessagingRabbitmqDestinationRoutingKey, routing_key);
  }
  const bool tag_applies = type == OperationType::kReceive || type == OperationType::kProcess ||
                           type == OperationType::kSettle;
  // Attribute ints are signed 64-bit; a tag above that range cannot be represented faithfully.
  if (tag_applies && delivery_tag && !op.is_batch() &&
      *delivery_tag <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    ok &= op.add_attribute(attr::kMessagingRabbitmqMessageDeliveryTag,
                           static_cast<std::int64_t>(*delivery_tag));
  }
  return ok;
}

}  // namespace hoptrace::messaging
