#include "hoptrace/kafka/propagation.h"

#include "fresh_headers_writer.h"
#include "scanned_headers_reader.h"

namespace hoptrace::kafka {

HeadersPtr new_trace_headers(const Context& context, const Propagation& propagation) noexcept {
  // Two slots: traceparent plus tracestate or baggage in the common case; lists grow.
  HeadersPtr headers(rd_kafka_headers_new(2));
  if (headers == nullptr) return headers;
  detail::FreshHeadersWriter writer(headers.get());
  propagation.inject(context, writer);
  if (rd_kafka_header_cnt(headers.get()) == 0) headers.reset();
  return headers;
}

void inject(const Context& context, rd_kafka_headers_t* headers,
            const Propagation& propagation) noexcept {
  if (headers == nullptr) return;
  HeadersWriter writer(headers);
  propagation.inject(context, writer);
}

Context extract(const rd_kafka_headers_t* headers, const Propagation& propagation,
                KeyMatch match) noexcept {
  // Reads as HeadersReader does, with the names read once for all the propagators' lookups.
  return propagation.extract(detail::ScannedHeadersReader(headers, match));
}

Context extract(rd_kafka_message_t* message, const Propagation& propagation,
                KeyMatch match) noexcept {
  return extract(HeadersReader::of(message).headers(), propagation, match);
}

}  // namespace hoptrace::kafka
