#pragma once

// The adapter's traced producer and consumer on the mock cluster, as the tests make and drive
// them.

#include <librdkafka/rdkafka.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hoptrace/core/messaging/consumer_trace_policy.h"
#include "hoptrace/core/tracer.h"
#include "hoptrace/kafka/consumer.h"
#include "hoptrace/kafka/producer.h"
#include "mock_cluster.h"

namespace hoptrace::kafka::testing {

/// A traced producer made from `conf` (taken, as TracedProducer::create takes it) that
/// starts its spans with `tracer`.
TracedProducer traced_producer(rd_kafka_conf_t* conf, std::shared_ptr<Tracer> tracer);

/// A traced consumer in `group` with `policy` (nullopt: the adapter's default, from the
/// environment), assigned partition 0 of each of `topics` from the beginning.
TracedConsumer traced_consumer(const MockCluster& mock, std::shared_ptr<Tracer> tracer,
                               const std::string& group, const std::vector<std::string>& topics,
                               std::optional<messaging::ConsumerTracePolicy> policy =
                                   messaging::ConsumerTracePolicy::adaptive());

/// The next message without an error, polling for up to 15 s; an empty message (and a test
/// failure) when none comes.
ConsumedMessage next_message(TracedConsumer& consumer);

/// A message to `topic` whose payload is a copy of `value` (RD_KAFKA_MSG_F_COPY).
OutgoingMessage outgoing_message(const char* topic, std::string& value, void* opaque = nullptr);

}  // namespace hoptrace::kafka::testing
