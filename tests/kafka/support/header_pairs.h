#pragma once

// A librdkafka header list as a plain list of (name, value) pairs, in order, so tests can
// build one in a line and compare one whole. A NULL value is written "<null>".

#include <librdkafka/rdkafka.h>

#include <string>
#include <utility>
#include <vector>

namespace hoptrace::kafka::testing {

using Pairs = std::vector<std::pair<std::string, std::string>>;

/// Every header of `headers` in order (none for a null list); a NULL value reads "<null>".
Pairs pairs_of(const rd_kafka_headers_t* headers);

/// A new header list holding `pairs` in order ("<null>" adds a NULL value); the caller owns it.
rd_kafka_headers_t* headers_from(const Pairs& pairs);

}  // namespace hoptrace::kafka::testing
