// OtlpHttpExporter against a real HTTP receiver on 127.0.0.1 started by each test: request
// shape (method, path, content type, user agent, headers, gzip), bodies checked by protoc and
// nlohmann-json, retries, drops and shutdown, alone and behind a BatchSpanProcessor.

#include "hoptrace/otlp/otlp_http_exporter.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "env_guard.h"
#include "hoptrace/core/sdk/batch_span_processor.h"
#include "hoptrace/core/sdk/tracer_provider.h"
#include "hoptrace/otlp/otlp_environment.h"
#include "http_receiver.h"
#include "otlp_checks.h"
#include "protobuf_wire.h"
#include "protoc_decoder.h"
#include "span_fixtures.h"

namespace hoptrace::otlp {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using testing::HttpReceiver;
using testing::ScriptedResponse;
using testing::SpanFixture;
using Status = sdk::ExportResult::Status;
using Clock = std::chrono::steady_clock;

constexpr const char* kRequestType =
    "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest";

OtlpHttpExporterOptions fast_options(const HttpReceiver& receiver) {
  OtlpHttpExporterOptions o;
  o.endpoint = receiver.url();
  o.timeout = milliseconds(5000);
  o.retry.initial_backoff = milliseconds(10);
  o.retry.max_backoff = milliseconds(50);
  return o;
}

// Span ids (hex) of every span in a protobuf request body, decoded by protoc.
std::vector<std::string> span_ids_in(const std::string& body) {
  const auto decoded = testing::decode_otlp(body, kRequestType);
  if (!decoded) return {};
  std::vector<std::string> ids;
  for (const auto* rs : decoded->all("resource_spans")) {
    for (const auto* ss : rs->all("scope_spans")) {
      for (const auto* span : ss->all("spans")) ids.push_back(testing::hex(span->value("span_id")));
    }
  }
  return ids;
}

// A TracerProvider wired to `processor`, and a helper that ends `n` producer spans.
struct Pipeline {
  explicit Pipeline(std::unique_ptr<sdk::SpanProcessor> processor) {
    sdk::TracerProviderOptions options;
    options.resource = sdk::Resource(
        std::vector<sdk::ResourceAttribute>{{"service.name", std::string("checkout")}});
    provider = std::make_unique<sdk::TracerProvider>(std::move(options));
    provider->add_processor(std::move(processor));
    tracer = provider->get_tracer("hoptrace.test", "1.0");
  }
  std::set<std::string> end_spans(std::size_t n) {
    std::set<std::string> ids;
    for (std::size_t i = 0; i < n; ++i) {
      SpanStartOptions o;
      o.kind = SpanKind::kProducer;
      o.parent_source = ParentSource::kRoot;
      Span span = tracer->start_span("send orders", o);
      span.set_attribute("messaging.system", "kafka");
      ids.insert(span.context().span_id().to_hex());
    }
    return ids;
  }
  std::unique_ptr<sdk::TracerProvider> provider;
  std::shared_ptr<Tracer> tracer;
};

// A loopback port with nothing listening on it.
std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(OtlpHttpExporter, SendsProtobufWithTheOtlpRequestShape) {
  HOPTRACE_REQUIRE_PROTOC();
  testing::EnvGuard env;
  env.set("OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=acme%20corp");
  HttpReceiver receiver;
  OtlpHttpExporterOptions o = fast_options(receiver);
  o.headers = {{"Authorization", "Bearer t0ken"}, {"x-empty", ""}};
  OtlpHttpExporter exporter(o);
  SpanFixture f;
  f.add_messaging_span(1);
  f.add_root_span(2);
  f.add_messaging_span(3);

  const sdk::ExportResult result = exporter.export_spans(f.pointers());
  EXPECT_EQ(result.status, Status::kSuccess);
  EXPECT_EQ(result.rejected_spans, 0u);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/v1/traces");
  EXPECT_EQ(r.header("content-type"), "application/x-protobuf");
  EXPECT_THAT(r.header("user-agent"), HasSubstr("OTel-OTLP-Exporter-Cpp/"));
  EXPECT_THAT(r.header("user-agent"), HasSubstr("hoptrace/"));
  EXPECT_EQ(r.header("x-tenant"), "acme corp");
  EXPECT_EQ(r.header("authorization"), "Bearer t0ken");
  EXPECT_EQ(r.headers.count("x-empty"), 1u);  // sent, with an empty value
  EXPECT_EQ(r.header("content-encoding"), "");
  EXPECT_EQ(r.header("expect"), "");
  const auto decoded = testing::decode_otlp(r.body, kRequestType);
  ASSERT_TRUE(decoded);
  testing::expect_proto_request(*decoded, f);
  ASSERT_TRUE(testing::decode_raw(r.body));

  const OtlpHttpExporterStats s = exporter.stats();
  EXPECT_EQ(s.export_calls, 1u);
  EXPECT_EQ(s.requests, 1u);
  EXPECT_EQ(s.retries, 0u);
  EXPECT_EQ(s.spans_exported, 3u);
  EXPECT_EQ(s.bytes_sent, r.raw_body.size());
  EXPECT_EQ(s.last_http_status, 200u);
}

TEST(OtlpHttpExporter, SendsJsonFollowingTheOtlpJsonRules) {
  testing::EnvGuard env;
  HttpReceiver receiver;
  OtlpHttpExporterOptions o = fast_options(receiver);
  o.protocol = OtlpProtocol::kHttpJson;
  OtlpHttpExporter exporter(o);
  SpanFixture f;
  f.add_messaging_span(4);
  f.add_root_span(5);
  EXPECT_EQ(exporter.export_spans(f.pointers()).status, Status::kSuccess);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].header("content-type"), "application/json");
  const nlohmann::json body = nlohmann::json::parse(requests[0].body);
  testing::expect_json_request(body, f);
}

TEST(OtlpHttpExporter, GzipCompressesTheBody) {
  HOPTRACE_REQUIRE_PROTOC();
  testing::EnvGuard env;
  env.set("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
  HttpReceiver receiver;
  OtlpHttpExporter exporter(fast_options(receiver));
  SpanFixture f;
  for (std::uint8_t i = 0; i < 20; ++i) f.add_messaging_span(i);
  EXPECT_EQ(exporter.export_spans(f.pointers()).status, Status::kSuccess);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.header("content-encoding"), "gzip");
  EXPECT_THAT(r.header("accept-encoding"), HasSubstr("gzip"));
  ASSERT_TRUE(r.gzip_ok);
  EXPECT_LT(r.raw_body.size(), r.body.size() / 2);  // 20 similar spans compress well
  const auto decoded = testing::decode_otlp(r.body, kRequestType);
  ASSERT_TRUE(decoded);
  testing::expect_proto_request(*decoded, f);
}

TEST(OtlpHttpExporter, GenericEndpointFromTheEnvironmentAndKeepAlive) {
  testing::EnvGuard env;
  HttpReceiver receiver;
  env.set("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.url("/otlp"));
  OtlpHttpExporter exporter;
  SpanFixture f;
  f.add_root_span(1);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(exporter.export_spans(f.pointers()).status, Status::kSuccess);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& r : requests) EXPECT_EQ(r.path, "/otlp/v1/traces");
  EXPECT_EQ(receiver.connection_count(), 1u);  // one kept-alive connection
}

TEST(OtlpHttpExporter, RetriesA503HonouringRetryAfterThenSucceeds) {
  testing::EnvGuard env;
  HttpReceiver receiver;
  receiver.script({ScriptedResponse{503, {{"Retry-After", "1"}}, "", milliseconds(0), false}});
  OtlpHttpExporter exporter(fast_options(receiver));
  SpanFixture f;
  f.add_messaging_span(1);
  const auto start = Clock::now();
  const sdk::ExportResult result = exporter.export_spans(f.pointers());
  const auto elapsed = Clock::now() - start;
  EXPECT_EQ(result.status, Status::kSuccess);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, requests[1].body);
  // The backoff alone would have waited at most 10 ms: the second attempt waited for
  // Retry-After.
  EXPECT_GE(elapsed, milliseconds(950));
  EXPECT_EQ(exporter.stats().retries, 1u);
  EXPECT_EQ(exporter.stats().spans_exported, 1u);
}

TEST(OtlpHttpExporter, RetriesEveryRetryableStatusAndHttpDateRetryAfter) {
  testing::EnvGuard env;
  HttpReceiver receiver;
  receiver.script({
      ScriptedResponse{
          429, {{"Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"}}, "", milliseconds(0), false},
      ScriptedResponse{502, {}, "", milliseconds(0), false},
      ScriptedResponse{504, {}, "", milliseconds(0), false},
  });
  OtlpHttpExporter exporter(fast_options(receiver));
  SpanFixture f;
  f.add_root_span(1);
  EXPECT_EQ(exporter.export_spans(f.pointers()).status, Status::kSuccess);
  EXPECT_EQ(receiver.request_count(), 4u);
  EXPECT_EQ(exporter.stats().retries, 3u);
}

TEST(OtlpHttpExporter, A400IsRejectedCountedAndNotRetried) {
  testing::EnvGuard env;
  HttpReceiver receiver;
  std::string status_body;
  wire::put_uint(1, 3, status_body);
  wire::put_string(2, "span id must be 8 bytes", status_body);
  receiver.set_fallback(ScriptedResponse{
      400, {{"Content-Type", "application/x-protobuf"}}, status_body, milliseconds(0), false});
  OtlpHttpExporter exporter(fast_options(receiver));
  SpanFixture f;
  f.add_root_span(1);
  f.add_root_span(2);
  ::testing::internal::CaptureStderr();
  const sdk::ExportResult result = exporter.export_spans(f.pointers());
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(result.status, Status::kRejected);
  EXPECT_EQ(receiver.request_count(), 1u);
  EXPECT_EQ(exporter.stats().spans_rejected, 2u);
  EXPECT_EQ(exporter.stats().retries, 0u);
  EXPECT_THAT(err, HasSubstr("HTTP 400 (span id must be 8 bytes)"));
  EXPECT_THAT(err, HasSubstr("not retried"));
}

TEST(OtlpHttpExporter, TooLargeBatchesAreNotSentAnd413IsTooLarge) {
  testing::EnvGuard env;
  HttpReceiver receiver;
  OtlpHttpExporterOptions o = fast_options(receiver);
  o.max_request_bytes = 100;
  OtlpHttpExporter small(o);
  SpanFixture f;
  f.add_messaging_span(1);
  EXPECT_EQ(small.export_spans(f.pointers()).status, Status::kTooLarge);
  EXPECT_EQ(receiver.request_count(), 0u);
  EXPECT_EQ(small.stats().spans_too_large, 1u);

  receiver.script({ScriptedResponse{413, {}, "", milliseconds(0), false}});
  OtlpHttpExporter exporter(fast_options(receiver));
  EXPECT_EQ(exporter.export_spans(f.pointers()).status, Status::kTooLarge);
  EXPECT_EQ(receiver.request_count(), 1u);
}

TEST(OtlpHttpExporter, PartialSuccessIsLoggedAndCounted) {
  testing::EnvGuard env;
  HttpReceiver receiver;
  std::string body;
  const std::size_t ps = wire::begin_message(1, body);
  wire::put_uint(1, 2, body);
  wire::put_string(2, "2 spans too old", body);
  wire::end_message(ps, body);
  receiver.script(
      {ScriptedResponse{200, {}, body, milliseconds(0), false},
       ScriptedResponse{200,
                        {},
                        R"({"partialSuccess":{"rejectedSpans":"1","errorMessage":"x"}})",
                        milliseconds(0),
                        false}});
  OtlpHttpExporter exporter(fast_options(receiver));
  SpanFixture f;
  for (std::uint8_t i = 0; i < 5; ++i) f.add_root_span(i);
  ::testing::internal::CaptureStderr();
  const sdk::ExportResult result = exporter.export_spans(f.pointers());
  EXPECT_THAT(::testing::internal::GetCapturedStderr(),
              HasSubstr("rejected 2 of 5 spans: 2 spans too old"));
  EXPECT_EQ(result.status, Status::kSuccess);
  EXPECT_EQ(result.rejected_spans, 2u);
  EXPECT_EQ(exporter.stats().spans_partially_rejected, 2u);
  EXPECT_EQ(exporter.stats().spans_exported, 3u);

  OtlpHttpExporterOptions json = fast_options(receiver);
  json.protocol = OtlpProtocol::kHttpJson;
  OtlpHttpExporter json_exporter(json);
  EXPECT_EQ(json_exporter.export_spans(f.pointers()).rejected_spans, 1u);
}

TEST(OtlpHttpExporter, AReceiverThatIsDownIsRetriedUntilTheTimeout) {
  testing::EnvGuard env;
  OtlpHttpExporterOptions o;
  o.endpoint = "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1/traces";
  o.timeout = milliseconds(400);
  o.retry.initial_backoff = milliseconds(20);
  o.retry.max_backoff = milliseconds(80);
  OtlpHttpExporter exporter(o);
  SpanFixture f;
  f.add_root_span(1);
  const auto start = Clock::now();
  EXPECT_EQ(exporter.export_spans(f.pointers()).status, Status::kFailed);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));  // bounded by the 400 ms timeout
  EXPECT_GT(exporter.stats().requests, 1u);                  // connection failures retried
  EXPECT_EQ(exporter.stats().spans_failed, 1u);
  EXPECT_EQ(exporter.stats().last_http_status, 0u);
}

TEST(OtlpHttpExporter, ShutdownInterruptsARetryWait) {
  testing::EnvGuard env;
  HttpReceiver receiver;
  receiver.set_fallback(ScriptedResponse{503, {{"Retry-After", "30"}}, "", milliseconds(0), false});
  OtlpHttpExporterOptions o = fast_options(receiver);
  o.timeout = milliseconds(60000);
  OtlpHttpExporter exporter(o);
  SpanFixture f;
  f.add_root_span(1);
  auto pending =
      std::async(std::launch::async, [&] { return exporter.export_spans(f.pointers()); });
  ASSERT_TRUE(receiver.wait_for_requests(1, milliseconds(5000)));
  const auto start = Clock::now();
  exporter.shutdown(Clock::now() + std::chrono::seconds(1));
  ASSERT_EQ(pending.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(pending.get().status, Status::kFailed);
  EXPECT_EQ(exporter.export_spans(f.pointers()).status, Status::kFailed);  // after shutdown
  EXPECT_EQ(receiver.request_count(), 1u);
}

TEST(OtlpHttpExporter, NothingIsSentOnceTheShutdownDeadlineHasPassed) {
  testing::EnvGuard env;
  HttpReceiver receiver;
  OtlpHttpExporter exporter(fast_options(receiver));
  SpanFixture f;
  f.add_root_span(1);
  exporter.set_shutdown_deadline(Clock::now() + std::chrono::hours(1));
  EXPECT_EQ(exporter.export_spans(f.pointers()).status, Status::kSuccess);  // a far cap: no effect
  exporter.set_shutdown_deadline(Clock::now() - milliseconds(1));
  EXPECT_EQ(exporter.export_spans(f.pointers()).status, Status::kFailed);
  EXPECT_EQ(receiver.request_count(), 1u);
  EXPECT_EQ(exporter.stats().spans_failed, 1u);
}

TEST(OtlpHttpExporterPipeline, A503ThenSuccessDeliversEachSpanExactlyOnce) {
  HOPTRACE_REQUIRE_PROTOC();
  testing::EnvGuard env;
  HttpReceiver receiver;
  receiver.script({ScriptedResponse{503, {{"Retry-After", "0"}}, "", milliseconds(0), false}});
  auto exporter = std::make_unique<OtlpHttpExporter>(fast_options(receiver));
  sdk::BatchSpanProcessorOptions bsp;
  bsp.schedule_delay = milliseconds(20);
  auto processor = std::make_unique<sdk::BatchSpanProcessor>(std::move(exporter), bsp);
  sdk::BatchSpanProcessor* raw = processor.get();
  Pipeline pipeline(std::move(processor));
  const std::set<std::string> sent = pipeline.end_spans(300);
  ASSERT_TRUE(pipeline.provider->force_flush(Clock::now() + std::chrono::seconds(20)));

  std::multiset<std::string> delivered;  // spans in requests answered 200
  const auto requests = receiver.requests();
  ASSERT_GE(requests.size(), 2u);
  for (std::size_t i = 1; i < requests.size(); ++i) {
    for (auto& id : span_ids_in(requests[i].body)) delivered.insert(id);
  }
  EXPECT_EQ(requests[0].body, requests[1].body);  // the 503'd request was sent again
  EXPECT_EQ(delivered.size(), sent.size());
  EXPECT_EQ(std::set<std::string>(delivered.begin(), delivered.end()), sent);
  const sdk::ProcessorStats stats = raw->stats();
  EXPECT_EQ(stats.exported, 300u);
  EXPECT_EQ(stats.dropped(), 0u);
}

TEST(OtlpHttpExporterPipeline, RejectedSpansLandInTheRejectedBucketAndTheSummaryLine) {
  testing::EnvGuard env;
  HttpReceiver receiver;
  receiver.set_fallback(ScriptedResponse{400, {}, "", milliseconds(0), false});
  auto processor = make_batch_processor(std::make_unique<OtlpHttpExporter>(fast_options(receiver)));
  sdk::SpanProcessor* raw = processor.get();
  Pipeline pipeline(std::move(processor));
  pipeline.end_spans(50);
  ::testing::internal::CaptureStderr();
  ASSERT_TRUE(pipeline.provider->shutdown(Clock::now() + std::chrono::seconds(20)));
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(raw->stats().dropped_rejected, 50u);
  EXPECT_EQ(raw->stats().exported, 0u);
  EXPECT_THAT(err, HasSubstr("otlp_http: 50 of 50 spans dropped (queue full 0, rejected 50, "
                             "failed after retries 0, too large 0, after shutdown 0)"));
  // Not retried: one request per batch.
  EXPECT_LE(receiver.request_count(), 50u);
  EXPECT_GE(receiver.request_count(), 1u);
}

TEST(OtlpHttpExporterPipeline, PartiallyRejectedSpansLandInTheRejectedBucket) {
  testing::EnvGuard env;
  HttpReceiver receiver;
  std::string body;
  const std::size_t ps = wire::begin_message(1, body);
  wire::put_uint(1, 3, body);
  wire::end_message(ps, body);
  receiver.script({ScriptedResponse{200, {}, body, milliseconds(0), false}});
  sdk::BatchSpanProcessorOptions bsp;
  bsp.schedule_delay = milliseconds(60000);  // one batch, sent by force_flush
  auto processor = std::make_unique<sdk::BatchSpanProcessor>(
      std::make_unique<OtlpHttpExporter>(fast_options(receiver)), bsp);
  sdk::BatchSpanProcessor* raw = processor.get();
  Pipeline pipeline(std::move(processor));
  pipeline.end_spans(10);
  ASSERT_TRUE(pipeline.provider->force_flush(Clock::now() + std::chrono::seconds(20)));
  EXPECT_EQ(receiver.request_count(), 1u);
  EXPECT_EQ(raw->stats().exported, 7u);
  EXPECT_EQ(raw->stats().dropped_rejected, 3u);
}

// Ends 20000 spans through a small queue while every export to `endpoint` takes the whole 3 s
// timeout, and checks the producer never waited, memory stayed bounded and every span is
// accounted for.
void expect_producer_unaffected_by(const std::string& endpoint) {
  OtlpHttpExporterOptions o;
  o.endpoint = endpoint;
  o.timeout = milliseconds(3000);
  o.retry.initial_backoff = milliseconds(10);
  o.retry.max_backoff = milliseconds(50);
  auto exporter = std::make_unique<OtlpHttpExporter>(o);
  OtlpHttpExporter* exporter_raw = exporter.get();
  sdk::BatchSpanProcessorOptions bsp;
  bsp.schedule_delay = milliseconds(5);
  bsp.max_queue_size = 256;
  bsp.max_export_batch_size = 64;
  bsp.export_timeout = milliseconds(1000);
  auto processor = std::make_unique<sdk::BatchSpanProcessor>(std::move(exporter), bsp);
  sdk::BatchSpanProcessor* raw = processor.get();
  Pipeline pipeline(std::move(processor));

  const std::size_t n = 20000;
  const auto start = Clock::now();
  pipeline.end_spans(n);
  const auto producing = Clock::now() - start;
  // The worker's first export is stuck for the whole 3 s timeout; had any on_end waited on it
  // (or on the network at all), producing could not have finished before that export did.
  EXPECT_EQ(exporter_raw->stats().spans_failed, 0u);
  EXPECT_LT(producing, milliseconds(3000));

  pipeline.provider->shutdown(Clock::now() + std::chrono::seconds(1));
  const sdk::ProcessorStats stats = raw->stats();
  const OtlpHttpExporterStats es = exporter_raw->stats();
  EXPECT_EQ(stats.exported, 0u);
  EXPECT_EQ(stats.dropped(), n);  // every span is accounted for
  EXPECT_GT(stats.dropped_queue_full, 0u);
  // Memory stays bounded: what was not dropped at the door fits in the queue plus what the
  // worker took out of it for its (few) export calls.
  EXPECT_LE(n - stats.dropped_queue_full, 256u + es.export_calls * 64u);
  EXPECT_GE(es.requests, 1u);
}

TEST(OtlpHttpExporterPipeline, AHungReceiverNeverSlowsTheProducerAndDropsAreCounted) {
  testing::EnvGuard env;
  HttpReceiver receiver;
  receiver.set_fallback(ScriptedResponse{200, {}, "", milliseconds(0), true});  // never answers
  expect_producer_unaffected_by(receiver.url());
}

TEST(OtlpHttpExporterPipeline, AReceiverThatIsDownNeverSlowsTheProducerAndDropsAreCounted) {
  testing::EnvGuard env;
  // Connection refused at once, retried with backoff until each export's timeout.
  expect_producer_unaffected_by("http://127.0.0.1:" + std::to_string(closed_port()) + "/v1/traces");
}

TEST(OtlpHttpExporterPipeline, ShutdownKeepsItsDeadlineWhenTheReceiverHangs) {
  testing::EnvGuard env;
  HttpReceiver receiver;
  receiver.set_fallback(ScriptedResponse{200, {}, "", milliseconds(0), true});  // never answers
  OtlpHttpExporterOptions o = fast_options(receiver);
  o.timeout = milliseconds(30000);
  sdk::BatchSpanProcessorOptions bsp;
  bsp.schedule_delay = milliseconds(5);
  auto processor = make_batch_processor(std::make_unique<OtlpHttpExporter>(o), bsp);
  sdk::SpanProcessor* raw = processor.get();
  Pipeline pipeline(std::move(processor));
  pipeline.end_spans(10);
  ASSERT_TRUE(receiver.wait_for_requests(1, milliseconds(5000)));  // an export is now stuck
  const auto start = Clock::now();
  ::testing::internal::CaptureStderr();
  pipeline.provider->shutdown(start + milliseconds(300));
  const std::string err = ::testing::internal::GetCapturedStderr();
  // Without the cap the stuck export would hold shutdown for its whole 30 s timeout.
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(raw->stats().dropped(), 10u);
  EXPECT_THAT(err, HasSubstr("still running at the shutdown deadline"));
}

TEST(OtlpHttpExporterPipeline, ShutdownDeliversEverythingQueuedWithinItsDeadline) {
  HOPTRACE_REQUIRE_PROTOC();
  testing::EnvGuard env;
  HttpReceiver receiver;
  sdk::BatchSpanProcessorOptions bsp;
  bsp.schedule_delay = milliseconds(60000);  // nothing leaves before shutdown
  bsp.max_queue_size = 2048;
  bsp.max_export_batch_size = 512;
  Pipeline pipeline(
      make_batch_processor(std::make_unique<OtlpHttpExporter>(fast_options(receiver)), bsp));
  const std::set<std::string> sent = pipeline.end_spans(1500);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  EXPECT_TRUE(pipeline.provider->shutdown(deadline));
  EXPECT_LT(Clock::now(), deadline);
  std::set<std::string> delivered;
  for (const auto& r : receiver.requests()) {
    for (auto& id : span_ids_in(r.body)) EXPECT_TRUE(delivered.insert(id).second) << id;
  }
  EXPECT_EQ(delivered, sent);
}

}  // namespace
}  // namespace hoptrace::otlp
