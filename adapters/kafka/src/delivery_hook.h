#pragma once

#include <librdkafka/rdkafka.h>

namespace hoptrace::kafka::detail {

using DeliveryCallback = void (*)(rd_kafka_t*, const rd_kafka_message_t*, void*);

// True when `producer` was created from a conf that went through prepare_producer_conf.
bool is_delivery_hooked(const rd_kafka_t* producer) noexcept;

// While suppressed, delivery reports of `producer` still end hoptrace's spans but are not passed
// to the user's callback (used when an owned producer is destroyed with messages in flight:
// plain rd_kafka_destroy would not report them either).
void suppress_user_deliveries(const rd_kafka_t* producer) noexcept;

}  // namespace hoptrace::kafka::detail
