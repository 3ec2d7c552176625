#pragma once

// Spans as the SDK records them, for the OTLP encoder and exporter tests: a typical messaging
// span (9 attributes of every type, an event, a remote link with trace state and attributes).

#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "hoptrace/core/sdk/resource.h"
#include "hoptrace/core/sdk/span_data.h"

namespace hoptrace::otlp::testing {

inline TraceId make_trace_id(std::uint8_t seed) {
  std::array<std::uint8_t, 16> b{};
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(seed + i * 17 + 1);
  return TraceId(b);
}

inline SpanId make_span_id(std::uint8_t seed) {
  std::array<std::uint8_t, 8> b{};
  for (std::size_t i = 0; i < b.size(); ++i)
    b[i] = static_cast<std::uint8_t>(seed * 3 + i * 29 + 1);
  return SpanId(b);
}

constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();
constexpr std::int64_t kStartNanos = 1700000000123456789;

struct SpanFixture {
  sdk::Resource resource{std::vector<sdk::ResourceAttribute>{
      {"service.name", std::string("orders-service")},
      {"service.instance.id", std::int64_t{42}},
  }};
  sdk::InstrumentationScope scope{"hoptrace.kafka", "0.1.0"};
  std::vector<std::unique_ptr<sdk::SpanData>> spans;

  std::vector<const sdk::SpanData*> pointers() const {
    std::vector<const sdk::SpanData*> out;
    for (const auto& s : spans) out.push_back(s.get());
    return out;
  }

  /// A PRODUCER span with a remote parent, 9 attributes, one event and one link.
  sdk::SpanData& add_messaging_span(std::uint8_t seed) {
    auto s = std::make_unique<sdk::SpanData>();
    s->context = SpanContext(make_trace_id(seed), make_span_id(seed), TraceFlags(0x01), false,
                             TraceState::parse("congo=t61rcWkgMzE"));
    s->parent_span_id = make_span_id(static_cast<std::uint8_t>(seed + 100));
    s->parent_is_remote = true;
    s->name = "send orders." + std::to_string(seed);
    s->kind = SpanKind::kProducer;
    s->start_time = Timestamp(std::chrono::nanoseconds(kStartNanos + seed));
    s->end_time = Timestamp(std::chrono::nanoseconds(kStartNanos + seed + 250000));
    s->status = StatusCode::kError;
    s->status_description = "broker said \"no\"";
    const auto set = [&](std::string_view k, AttributeValue v) {
      s->attributes.set(k, v, kNoLimit, kNoLimit);
    };
    set("messaging.system", "kafka");
    set("messaging.operation.type", "send");
    set("messaging.operation.name", "send");
    set("messaging.destination.name", "orders");
    set("messaging.kafka.message.key", "order-\xC3\xA9-1");
    set("messaging.destination.partition.id", std::int64_t{-3});
    set("messaging.message.body.size", std::int64_t{9000000000});
    set("messaging.kafka.message.tombstone", false);
    set("hoptrace.sample.ratio", 0.25);
    std::uint32_t lost = 0;
    const std::uint32_t event_first =
        s->extra_attributes.append({{"exception.type", "Timeout"}, {"exception.message", "no ack"}},
                                   kNoLimit, kNoLimit, &lost);
    s->events.push_back(
        {"exception", Timestamp(std::chrono::nanoseconds(kStartNanos + 1000)), event_first, 2, 1});
    const std::uint32_t link_first =
        s->extra_attributes.append({{"messaging.message.id", "m-77"}}, kNoLimit, kNoLimit, &lost);
    sdk::LinkData link;
    link.context = SpanContext(make_trace_id(static_cast<std::uint8_t>(seed + 50)),
                               make_span_id(static_cast<std::uint8_t>(seed + 50)), TraceFlags(0x03),
                               true, TraceState::parse("rojo=00f067aa0ba902b7"));
    link.first_attribute = link_first;
    link.attribute_count = 1;
    s->links.push_back(link);
    s->dropped_events = 2;
    s->dropped_links = 3;
    s->resource = &resource;
    s->scope = &scope;
    spans.push_back(std::move(s));
    return *spans.back();
  }

  /// A minimal INTERNAL root span: no parent, no attributes, status unset.
  sdk::SpanData& add_root_span(std::uint8_t seed) {
    auto s = std::make_unique<sdk::SpanData>();
    s->context = SpanContext(make_trace_id(seed), make_span_id(seed), TraceFlags(0x00), false);
    s->name = "root";
    s->kind = SpanKind::kInternal;
    s->start_time = Timestamp(std::chrono::nanoseconds(kStartNanos));
    s->end_time = Timestamp(std::chrono::nanoseconds(kStartNanos + 5));
    s->resource = &resource;
    s->scope = &scope;
    spans.push_back(std::move(s));
    return *spans.back();
  }
};

inline std::string bytes_of(const TraceId& id) {
  return std::string(reinterpret_cast<const char*>(id.bytes().data()), id.bytes().size());
}
inline std::string bytes_of(const SpanId& id) {
  return std::string(reinterpret_cast<const char*>(id.bytes().data()), id.bytes().size());
}

}  // namespace hoptrace::otlp::testing
