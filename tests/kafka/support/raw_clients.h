#pragma once

// Plain librdkafka calls next to the traced clients: the code of someone who does not use
// hoptrace, or the raw side of a comparison.

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <string>
#include <vector>

#include "hoptrace/kafka/handles.h"

namespace hoptrace::kafka::testing {

/// A plain librdkafka client of `type` made from `conf` (taken); null, with a test failure
/// giving librdkafka's reason, when it cannot be made.
ClientPtr raw_client(rd_kafka_type_t type, rd_kafka_conf_t* conf);

/// Assigns partitions [0, partitions) of each of `topics` from the beginning (no group
/// rebalance wait).
void assign(rd_kafka_t* consumer, const std::vector<std::string>& topics, int partitions = 1);
/// The same for one topic.
void assign(rd_kafka_t* consumer, const std::string& topic, int partitions = 1);

/// rd_kafka_producev without its macros (they use C casts): topic, value, optional headers
/// (ownership passes on success), optional per-message opaque.
rd_kafka_resp_err_t raw_produce(rd_kafka_t* producer, const char* topic, void* value,
                                std::size_t size, rd_kafka_headers_t* headers = nullptr,
                                void* opaque = nullptr);

}  // namespace hoptrace::kafka::testing
