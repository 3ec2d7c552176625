#pragma once

// A delivery report callback that counts the reports and keeps the last one's error and
// per-message opaque: what the user's own callback sees through the traced producer.

#include <librdkafka/rdkafka.h>

#include <atomic>

namespace hoptrace::kafka::testing {

/// Written on librdkafka's thread that runs the callback, read by the test: hence atomics.
struct DeliveryReports {
  std::atomic<int> calls{0};
  std::atomic<int> last_error{0};
  std::atomic<void*> last_opaque{nullptr};

  /// Makes `conf`'s delivery report callback record into this object (set as the conf
  /// opaque); returns `conf`.
  rd_kafka_conf_t* record_into(rd_kafka_conf_t* conf);
};

}  // namespace hoptrace::kafka::testing
