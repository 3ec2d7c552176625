// Unsampled messages take a shorter path (the tracer says the span cannot record, so no
// attributes are built): what goes on the wire and the contexts the application sees must be
// exactly what the full path gives.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "hoptrace/core/context.h"
#include "hoptrace/core/id_generator.h"
#include "hoptrace/core/tracer.h"
#include "hoptrace/kafka/consumer.h"
#include "hoptrace/kafka/producer.h"
#include "kafka_test_support.h"

namespace hoptrace::kafka {
namespace {

using testing::MockCluster;
using testing::next_message;
using testing::outgoing_message;
using testing::traced_consumer;
using testing::traced_producer;

// Ids from a counter, so two runs making the same calls make the same ids.
class CountingIds final : public IdGenerator {
 public:
  TraceId new_trace_id() noexcept override { return TraceId::from_u64(0x77, next_++); }
  SpanId new_span_id() noexcept override { return SpanId::from_u64(next_++); }
  bool trace_ids_are_random() const noexcept override { return false; }

 private:
  std::atomic<std::uint64_t> next_{1000};
};

// Forwards to the SDK tracer; remembers how many attributes each start was given. With
// `forward_may_record` false it keeps Tracer's default may_record (always true), which makes
// the adapter take its full path.
class ObservingTracer final : public Tracer {
 public:
  ObservingTracer(std::shared_ptr<Tracer> inner, bool forward_may_record)
      : inner_(std::move(inner)), forward_may_record_(forward_may_record) {}

  Span start_span(std::string_view name, const SpanStartOptions& options) noexcept override {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      attribute_counts_.push_back(options.attributes.size());
    }
    return inner_->start_span(name, options);
  }
  bool may_record(const SpanStartOptions& options) const noexcept override {
    return forward_may_record_ ? inner_->may_record(options) : Tracer::may_record(options);
  }
  std::vector<std::size_t> attribute_counts() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return attribute_counts_;
  }

 private:
  std::shared_ptr<Tracer> inner_;
  bool forward_may_record_;
  mutable std::mutex mutex_;
  std::vector<std::size_t> attribute_counts_;
};

struct Observed {
  std::string traceparent;
  std::string tracestate;
  std::string process_trace_id;
  std::string process_span_id;
  std::uint8_t process_flags = 0;
  std::vector<std::size_t> attribute_counts;
  std::uint64_t spans_recorded = 0;
};

// Produces and consumes one message under an unsampled local parent (ParentBased sampling, the
// default, drops its children) and reports what the application and the broker saw.
Observed produce_and_consume_unsampled(bool forward_may_record) {
  Observed seen;
  MockCluster mock;
  EXPECT_TRUE(mock.ok());
  mock.create_topic("quiet");
  sdk::TracerProviderOptions provider_options;
  provider_options.id_generator = std::make_shared<CountingIds>();
  auto provider = std::make_shared<sdk::TracerProvider>(std::move(provider_options));
  auto tracer = std::make_shared<ObservingTracer>(provider->get_tracer("test"), forward_may_record);

  TracedProducer producer = traced_producer(mock.producer_conf(), tracer);
  {
    const Span parent(
        SpanContext(TraceId::from_u64(0xABC, 0xDEF), SpanId::from_u64(0x42), TraceFlags(0), false),
        nullptr);
    const Scope scope = make_current(parent);
    std::string value = "payload";
    OutgoingMessage message = outgoing_message("quiet", value);
    message.key = "k";
    message.key_size = 1;
    EXPECT_EQ(producer.produce(message), RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  EXPECT_EQ(producer.flush(10'000), RD_KAFKA_RESP_ERR_NO_ERROR);

  TracedConsumer consumer =
      traced_consumer(mock, tracer, "g-quiet", {"quiet"}, /*policy=*/std::nullopt);
  if (ConsumedMessage message = next_message(consumer)) {
    seen.traceparent = std::string(message.headers().get("traceparent").value_or("<none>"));
    seen.tracestate = std::string(message.headers().get("tracestate").value_or("<none>"));
    seen.process_trace_id = message.span_context().trace_id().to_hex();
    seen.process_span_id = message.span_context().span_id().to_hex();
    seen.process_flags = message.span_context().trace_flags().bits();
  }
  seen.attribute_counts = tracer->attribute_counts();
  seen.spans_recorded = provider->stats().spans_recorded;
  return seen;
}

TEST(KafkaUnsampledPath, PropagatesExactlyAsTheFullPath) {
  const Observed fast = produce_and_consume_unsampled(/*forward_may_record=*/true);
  const Observed full = produce_and_consume_unsampled(/*forward_may_record=*/false);

  // The parent's trace, a new span id, flags 00.
  EXPECT_EQ(fast.traceparent.substr(0, 36), "00-0000000000000abc0000000000000def-");
  EXPECT_NE(fast.traceparent.find("-00", 52), std::string::npos) << fast.traceparent;
  EXPECT_NE(fast.traceparent.substr(36, 16), "0000000000000042");
  EXPECT_EQ(fast.process_trace_id, "0000000000000abc0000000000000def");
  EXPECT_EQ(fast.process_flags & TraceFlags::kSampled, 0);

  EXPECT_EQ(fast.traceparent, full.traceparent);
  EXPECT_EQ(fast.tracestate, full.tracestate);
  EXPECT_EQ(fast.process_trace_id, full.process_trace_id);
  EXPECT_EQ(fast.process_span_id, full.process_span_id);
  EXPECT_EQ(fast.process_flags, full.process_flags);
  EXPECT_EQ(fast.spans_recorded, 0u);
  EXPECT_EQ(full.spans_recorded, 0u);

  // The send and process spans: the full path builds their attributes, the short one does not.
  ASSERT_EQ(fast.attribute_counts.size(), 2u);
  ASSERT_EQ(full.attribute_counts.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(fast.attribute_counts[i], 0u) << i;
    EXPECT_GT(full.attribute_counts[i], 0u) << i;
  }
}

}  // namespace
}  // namespace hoptrace::kafka
