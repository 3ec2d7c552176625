// The tracing half and the export half together: spans started by a TracerProvider reach an
// exporter through the real processors, with resource, scope and parentage intact.

#include <gtest/gtest.h>

#include <memory>

#include "hoptrace/core/sdk/batch_span_processor.h"
#include "hoptrace/core/sdk/in_memory_span_exporter.h"
#include "hoptrace/core/sdk/simple_span_processor.h"
#include "hoptrace/core/sdk/tracer_provider.h"

namespace hoptrace::sdk {
namespace {

TEST(SdkPipelineTest, ProducerAndConsumerSpansReachTheExporter) {
  TracerProviderOptions options;
  options.resource = Resource({{"service.name", std::string("orders")}});
  TracerProvider provider(std::move(options));
  auto exporter = std::make_unique<InMemorySpanExporter>();
  auto store = exporter->store();
  provider.add_processor(std::make_unique<SimpleSpanProcessor>(std::move(exporter)));
  auto tracer = provider.get_tracer("hoptrace.test", "0.1");

  SpanStartOptions send;
  send.kind = SpanKind::kProducer;
  send.parent_source = ParentSource::kRoot;
  Span producer = tracer->start_span("send orders", send);
  const SpanContext sent = producer.context();
  producer.end();

  // The consumer sees the context as extracted from the message: remote.
  SpanStartOptions process;
  process.kind = SpanKind::kConsumer;
  process.parent_source = ParentSource::kExplicit;
  process.parent = SpanContext(sent.trace_id(), sent.span_id(), sent.trace_flags(), true);
  tracer->start_span("process orders", process).end();

  ASSERT_TRUE(provider.force_flush(std::chrono::steady_clock::now() + std::chrono::seconds(5)));
  const auto consumer = store->find("process orders");
  ASSERT_TRUE(consumer.has_value());
  EXPECT_EQ(consumer->context.trace_id(), sent.trace_id());
  EXPECT_EQ(consumer->parent_span_id, sent.span_id());
  EXPECT_TRUE(consumer->parent_is_remote);
  ASSERT_NE(consumer->resource, nullptr);
  EXPECT_EQ(consumer->resource->service_name(), "orders");
  EXPECT_EQ(consumer->scope->name, "hoptrace.test");
  EXPECT_EQ(provider.stats().processors.exported, 2u);
}

TEST(SdkPipelineTest, BatchProcessorExportsOnFlushAndShutdownIsCounted) {
  TracerProvider provider;
  auto exporter = std::make_unique<InMemorySpanExporter>();
  auto store = exporter->store();
  provider.add_processor(std::make_unique<BatchSpanProcessor>(std::move(exporter)));
  auto tracer = provider.get_tracer("hoptrace.test");
  SpanStartOptions root;
  root.parent_source = ParentSource::kRoot;
  for (int i = 0; i < 10; ++i) tracer->start_span("work", root).set_attribute("i", i);
  ASSERT_TRUE(provider.force_flush(std::chrono::steady_clock::now() + std::chrono::seconds(10)));
  EXPECT_EQ(store->size(), 10u);
  EXPECT_TRUE(provider.shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(10)));
  EXPECT_EQ(provider.stats().processors.exported, 10u);
}

}  // namespace
}  // namespace hoptrace::sdk
