#pragma once

#include <librdkafka/rdkafka.h>

#include "hoptrace/core/context.h"
#include "hoptrace/core/propagation/propagation.h"
#include "hoptrace/kafka/handles.h"
#include "hoptrace/kafka/headers_carrier.h"

/// \file
/// Free inject/extract helpers for code that calls librdkafka itself (the middle layer of the
/// adapter: usable without TracedProducer/TracedConsumer, and without a tracer). They are what
/// the traced clients use internally, so a message written by one is read by the other the same
/// way. Every function is noexcept and never throws or aborts on wire data: malformed headers
/// give an invalid context and are counted by the propagators (propagation/stats.h).
///
/// \code
///   // Producer: a message with no headers of its own.
///   hoptrace::kafka::HeadersPtr headers = hoptrace::kafka::new_trace_headers(context);
///   rd_kafka_resp_err_t err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("orders"),
///       RD_KAFKA_V_VALUE(data, size), RD_KAFKA_V_HEADERS(headers.get()), RD_KAFKA_V_END);
///   if (err == RD_KAFKA_RESP_ERR_NO_ERROR) headers.release();  // the message owns it now
///
///   // Consumer:
///   hoptrace::Context parent = hoptrace::kafka::extract(rkmessage);
/// \endcode

namespace hoptrace::kafka {

/// A new header list holding `context`'s trace fields (and baggage) as `propagation` writes
/// them, for a message that has no headers of its own. Cheaper than inject() into an empty
/// list: nothing can be stale in a list made here, so no removal pass runs.
///
/// Null when `propagation` writes nothing for `context` (an invalid span context and no
/// baggage, or propagation `none`) or when librdkafka cannot allocate. Hand the list to
/// producev with `RD_KAFKA_V_HEADERS` and release() it once produce succeeded (librdkafka owns
/// it then; on failure the caller still does, and HeadersPtr frees it). Thread-safe.
HeadersPtr new_trace_headers(const Context& context,
                             const Propagation& propagation = Propagation::global()) noexcept;

/// Injects `context` into an existing header list (a user's): with clean inject (the default)
/// every stale trace header of any supported format is removed first, then each configured
/// format sets its fields (replacing any header of the same name). Other headers are kept, in
/// order. A null `headers` does nothing. Not thread-safe for one list (one writer at a time).
void inject(const Context& context, rd_kafka_headers_t* headers,
            const Propagation& propagation = Propagation::global()) noexcept;

/// The context (span context and baggage) carried by a header list, read as HeadersReader reads
/// it (the last occurrence of a name wins; a NULL value counts as absent). An empty context when
/// `headers` is null or carries none. The list is only read.
Context extract(const rd_kafka_headers_t* headers,
                const Propagation& propagation = Propagation::global(),
                KeyMatch match = KeyMatch::kExact) noexcept;

/// As above for a consumed (or delivered) message, parsing its headers if librdkafka has not
/// yet (which it does lazily, once per message; hence the non-const message).
Context extract(rd_kafka_message_t* message, const Propagation& propagation = Propagation::global(),
                KeyMatch match = KeyMatch::kExact) noexcept;

}  // namespace hoptrace::kafka
