#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "hoptrace/core/messaging/inline_text.h"
#include "hoptrace/core/messaging/messaging_operation.h"

/// \file
/// RabbitMQ specifics of the messaging conventions (spec §1.6), as small pure functions.

namespace hoptrace::messaging {

/// The name of the default exchange in `messaging.destination.name`.
inline constexpr std::string_view kRabbitmqDefaultExchangeName = "amq.default";

/// A composed RabbitMQ destination name, held inline. Exchange, routing key and queue are AMQP
/// shortstrs (at most 255 bytes each), so the capacity fits all three with separators.
using RabbitmqDestinationName = InlineText<3 * 255 + 2>;

/// The destination name of a publish (Send span): `{exchange}:{routing key}` when both are
/// non-empty, the non-empty one when only one is, `amq.default` when both are empty (the
/// default exchange with no routing key).
RabbitmqDestinationName rabbitmq_send_destination(std::string_view exchange,
                                                  std::string_view routing_key) noexcept;

/// The destination name of a Receive, Process or Settle span:
/// `{exchange}:{routing key}:{queue}` with empty parts left out, and the queue left out when it
/// equals the routing key (`{exchange}:{routing key}`), as with the default exchange, which
/// routes by queue name.
RabbitmqDestinationName rabbitmq_consume_destination(std::string_view exchange,
                                                     std::string_view routing_key,
                                                     std::string_view queue) noexcept;

/// Adds the RabbitMQ attributes that apply to `op.type` to `op.extra_attributes`: the routing
/// key when non-empty (send, receive, process) and the delivery tag when known (receive,
/// process, settle; single message only). Returns false if some did not fit. `routing_key`
/// must outlive the span start.
bool add_rabbitmq_attributes(MessagingOperation& op, std::string_view routing_key,
                             std::optional<std::uint64_t> delivery_tag = std::nullopt) noexcept;

}  // namespace hoptrace::messaging
