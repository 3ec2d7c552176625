// hoptrace_bench_kafka: messages produced and consumed through librdkafka's mock cluster in one
// process, in four modes run alternately, each round on a fresh topic:
//   raw        librdkafka, no headers
//   raw+tp     librdkafka with a traceparent header formatted and added by hand (and read back
//              by the consumer): the cost any tracing must pay, the baseline for the ratios
//   sampled    hoptrace TracedProducer/TracedConsumer, every span recorded into a
//              BatchSpanProcessor with an exporter that discards
//   unsampled  hoptrace with an AlwaysOff sampler (context still propagated)
// Prints msgs/s per mode (median over rounds) and `ratio sampled=<x> unsampled=<y>` against
// raw+tp; then CPU time per message (whole process, and the application's producer and
// consumer threads alone) and `cpu-ratio sampled=<x> unsampled=<y>` (CPU of raw+tp per message
// over CPU of the mode per message: 1.0 means no extra CPU). Wall throughput on a small shared
// machine is noisy because librdkafka's threads compete with the application's; CPU per message
// is the steadier figure.
//
// For instruction counts (callgrind), the application's work is in produce_messages() and
// consume_messages():
//   HOPTRACE_BENCH_KAFKA_ONLY=unsampled valgrind --tool=callgrind
//     --toggle-collect='*produce_messages*' --toggle-collect='*consume_messages*'
//     hoptrace_bench_kafka 20000 1
//
// Usage: hoptrace_bench_kafka [MESSAGES [ROUNDS]]   (or HOPTRACE_BENCH_KAFKA_MESSAGES,
// HOPTRACE_BENCH_KAFKA_ROUNDS). Defaults: 1,000,000 messages of 100 bytes, 3 rounds.

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "hoptrace/core/sdk/always_off_sampler.h"
#include "hoptrace/core/sdk/always_on_sampler.h"
#include "hoptrace/core/sdk/batch_span_processor.h"
#include "hoptrace/core/sdk/span_exporter.h"
#include "hoptrace/core/sdk/tracer_provider.h"
#include "hoptrace/kafka/consumer.h"
#include "hoptrace/kafka/producer.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kPayloadSize = 100;
constexpr std::size_t kWindow = 20'000;
constexpr std::size_t kSpanQueue = 65'536;

enum class Mode { kRaw, kRawTraceparent, kSampled, kUnsampled };
constexpr Mode kModes[] = {Mode::kRaw, Mode::kRawTraceparent, Mode::kSampled, Mode::kUnsampled};
const char* name_of(Mode mode) {
  switch (mode) {
    case Mode::kRaw:
      return "raw";
    case Mode::kRawTraceparent:
      return "raw+tp";
    case Mode::kSampled:
      return "sampled";
    case Mode::kUnsampled:
      return "unsampled";
  }
  return "?";
}

std::size_t from_env_or_arg(int argc, char** argv, int index, const char* env,
                            std::size_t fallback) {
  const char* text = argc > index ? argv[index] : std::getenv(env);
  if (text == nullptr || *text == '\0') return fallback;
  const unsigned long long value = std::strtoull(text, nullptr, 10);
  return value > 0 ? static_cast<std::size_t>(value) : fallback;
}

class DiscardingExporter final : public hoptrace::sdk::SpanExporter {
 public:
  hoptrace::sdk::ExportResult export_spans(
      hoptrace::ArrayView<const hoptrace::sdk::SpanData*> spans) noexcept override {
    exported_.fetch_add(spans.size(), std::memory_order_relaxed);
    return hoptrace::sdk::ExportResult::success();
  }
  std::string_view name() const noexcept override { return "discard"; }

 private:
  std::atomic<std::uint64_t> exported_{0};
};

// Settings shared by every mode (printed with the results).
const std::vector<std::pair<const char*, const char*>> kProducerSettings = {
    {"linger.ms", "5"},
    {"batch.num.messages", "10000"},
    {"queue.buffering.max.messages", "500000"},
    {"queue.buffering.max.kbytes", "1048576"},
};
const std::vector<std::pair<const char*, const char*>> kConsumerSettings = {
    {"fetch.wait.max.ms", "5"},
    {"queued.min.messages", "100000"},
    {"queued.max.messages.kbytes", "262144"},
    {"fetch.message.max.bytes", "4194304"},
    {"enable.auto.commit", "false"},
    {"auto.offset.reset", "earliest"},
};

rd_kafka_conf_t* conf_with(const std::string& servers,
                           const std::vector<std::pair<const char*, const char*>>& settings) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char errstr[256];
  auto set = [&](const char* name, const char* value) {
    if (rd_kafka_conf_set(conf, name, value, errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
      throw std::runtime_error(std::string(name) + ": " + errstr);
    }
  };
  set("bootstrap.servers", servers.c_str());
  for (const auto& [name, value] : settings) set(name, value);
  return conf;
}

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    static_cast<std::atomic<std::uint64_t>*>(opaque)->fetch_add(1, std::memory_order_relaxed);
  }
}

// Formats `00-<trace>-<span>-01` from a counter, as hand-written instrumentation would.
void format_traceparent(char* out, std::uint64_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::memcpy(out, "00-", 3);
  for (int i = 0; i < 32; ++i) out[3 + i] = kHex[(n + static_cast<std::uint64_t>(i) * 7) & 15];
  out[35] = '-';
  for (int i = 0; i < 16; ++i) out[36 + i] = kHex[((n >> (i % 8)) & 15) | 1];
  std::memcpy(out + 52, "-01", 3);
}
constexpr std::size_t kTraceparentSize = 55;

struct Tracing {
  std::shared_ptr<hoptrace::sdk::TracerProvider> provider;
  std::shared_ptr<hoptrace::Tracer> tracer;
};

Tracing make_tracing(bool sampled) {
  hoptrace::sdk::TracerProviderOptions options;
  if (sampled) {
    options.sampler = std::make_shared<hoptrace::sdk::AlwaysOnSampler>();
  } else {
    options.sampler = std::make_shared<hoptrace::sdk::AlwaysOffSampler>();
  }
  auto provider = std::make_shared<hoptrace::sdk::TracerProvider>(std::move(options));
  hoptrace::sdk::BatchSpanProcessorOptions batch;
  batch.max_queue_size = kSpanQueue;
  batch.max_export_batch_size = kSpanQueue / 8;
  batch.schedule_delay = std::chrono::milliseconds(100);
  provider->add_processor(std::make_unique<hoptrace::sdk::BatchSpanProcessor>(
      std::make_unique<DiscardingExporter>(), batch));
  return {provider, provider->get_tracer("hoptrace.kafka")};
}

struct RunResult {
  double msgs_per_second = 0;
  double process_cpu_us_per_message = 0;
  double app_cpu_us_per_message = 0;  // the producer and consumer threads only
  // Per thread: shows where added work lands (on 2 cores neither loop is saturated; librdkafka's
  // threads share the cores, so the process's CPU per message is what bounds throughput).
  double producer_cpu_us_per_message = 0;
  double consumer_cpu_us_per_message = 0;
  std::uint64_t delivery_errors = 0;
};

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

struct ConsumeArgs {
  Mode mode;
  std::size_t messages;
  rd_kafka_t* consumer;
  hoptrace::kafka::TracedConsumer* traced_consumer;
  std::atomic<std::size_t>* progress;
};

// The consumer thread's loop (a named function, so callgrind can collect it alone). Returns the
// number of messages consumed.
__attribute__((noinline)) std::size_t consume_messages(const ConsumeArgs& args) {
  std::size_t count = 0;
  std::size_t header_bytes = 0;
  int errors_reported = 0;
  const auto deadline = Clock::now() + std::chrono::minutes(5);
  while (count < args.messages && Clock::now() < deadline) {
    if (args.traced_consumer != nullptr) {
      hoptrace::kafka::ConsumedMessage message = args.traced_consumer->poll(100);
      if (message && message.error() == RD_KAFKA_RESP_ERR_NO_ERROR) {
        args.progress->store(++count, std::memory_order_relaxed);
      }
      continue;
    }
    rd_kafka_message_t* message = rd_kafka_consumer_poll(args.consumer, 100);
    if (message == nullptr) continue;
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR && errors_reported < 5) {
      ++errors_reported;
      std::fprintf(stderr, "%s: consumer: %s\n", name_of(args.mode),
                   rd_kafka_message_errstr(message));
    }
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      args.progress->store(++count, std::memory_order_relaxed);
      if (args.mode == Mode::kRawTraceparent) {
        rd_kafka_headers_t* headers = nullptr;
        const void* value = nullptr;
        std::size_t size = 0;
        if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR &&
            rd_kafka_header_get_last(headers, "traceparent", &value, &size) ==
                RD_KAFKA_RESP_ERR_NO_ERROR) {
          header_bytes += size;
        }
      }
    }
    rd_kafka_message_destroy(message);
  }
  if (args.mode == Mode::kRawTraceparent && header_bytes == 0 && count > 0) {
    std::fprintf(stderr, "raw+tp: no traceparent read back\n");
  }
  return count;
}

struct ProduceArgs {
  Mode mode;
  std::size_t messages;
  const std::string* topic;
  rd_kafka_t* producer;
  hoptrace::kafka::TracedProducer* traced_producer;
  const std::atomic<std::size_t>* progress;
};

// The producer's loop, flush included (delivery reports are served here): a named function for
// callgrind.
__attribute__((noinline)) void produce_messages(const ProduceArgs& args) {
  char payload[kPayloadSize];
  std::memset(payload, 'p', sizeof(payload));
  char traceparent[kTraceparentSize];
  rd_kafka_t* producer = args.producer;
  const char* topic = args.topic->c_str();
  for (std::size_t i = 0; i < args.messages; ++i) {
    // The mock broker keeps only a few MB per partition: stay at most kWindow messages ahead
    // of the consumer, so nothing is truncated before it is read (a steady pipeline).
    while (i - std::min(i, args.progress->load(std::memory_order_relaxed)) > kWindow) {
      rd_kafka_poll(producer, 1);  // sleeps on the event queue: no spinning on 2 cores
    }
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    do {
      if (args.traced_producer != nullptr) {
        hoptrace::kafka::OutgoingMessage message;
        message.topic = topic;
        message.partition = 0;
        message.value = payload;
        message.value_size = sizeof(payload);
        message.flags = RD_KAFKA_MSG_F_COPY;
        err = args.traced_producer->produce(message);
      } else {
        // What hand-written code does: producev with (for raw+tp) one traceparent header.
        rd_kafka_vu_t vu[5];
        vu[0].vtype = RD_KAFKA_VTYPE_TOPIC;
        vu[0].u.cstr = topic;
        vu[1].vtype = RD_KAFKA_VTYPE_PARTITION;
        vu[1].u.i32 = 0;
        vu[2].vtype = RD_KAFKA_VTYPE_VALUE;
        vu[2].u.mem.ptr = payload;
        vu[2].u.mem.size = sizeof(payload);
        vu[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
        vu[3].u.i = RD_KAFKA_MSG_F_COPY;
        std::size_t count = 4;
        if (args.mode == Mode::kRawTraceparent) {
          format_traceparent(traceparent, i);
          vu[4].vtype = RD_KAFKA_VTYPE_HEADER;
          vu[4].u.header.name = "traceparent";
          vu[4].u.header.val = traceparent;
          vu[4].u.header.size = static_cast<ssize_t>(kTraceparentSize);
          count = 5;
        }
        if (rd_kafka_error_t* error = rd_kafka_produceva(producer, vu, count)) {
          err = rd_kafka_error_code(error);
          rd_kafka_error_destroy(error);
        }
      }
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) rd_kafka_poll(producer, 1);
    } while (err == RD_KAFKA_RESP_ERR__QUEUE_FULL);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw std::runtime_error(std::string("produce failed: ") + rd_kafka_err2str(err));
    }
    if ((i & 1023) == 0) rd_kafka_poll(producer, 0);
  }
  rd_kafka_flush(producer, 60'000);
}

RunResult run(Mode mode, const std::string& servers, rd_kafka_mock_cluster_t* cluster,
              const std::string& topic, std::size_t messages, const Tracing* tracing) {
  rd_kafka_mock_topic_create(cluster, topic.c_str(), 1, 1);
  std::atomic<std::uint64_t> delivery_errors{0};

  // Consumer first, so it is fetching when the first message lands.
  rd_kafka_conf_t* consumer_conf = conf_with(servers, kConsumerSettings);
  char errstr[256];
  rd_kafka_conf_set(consumer_conf, "group.id", ("bench-" + topic).c_str(), errstr, sizeof(errstr));
  std::unique_ptr<hoptrace::kafka::TracedConsumer> traced_consumer;
  rd_kafka_t* consumer = nullptr;
  if (tracing != nullptr) {
    hoptrace::kafka::ConsumerOptions options;
    options.tracer = tracing->tracer;
    options.policy = hoptrace::messaging::ConsumerTracePolicy::adaptive();
    traced_consumer = std::make_unique<hoptrace::kafka::TracedConsumer>(
        hoptrace::kafka::TracedConsumer::create(consumer_conf, std::move(options)));
    consumer = traced_consumer->handle();
  } else {
    consumer = rd_kafka_new(RD_KAFKA_CONSUMER, consumer_conf, errstr, sizeof(errstr));
    if (consumer == nullptr) throw std::runtime_error(errstr);
    rd_kafka_poll_set_consumer(consumer);
  }
  rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(assignment, topic.c_str(), 0)->offset =
      RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_assign(consumer, assignment);
  rd_kafka_topic_partition_list_destroy(assignment);

  rd_kafka_conf_t* producer_conf = conf_with(servers, kProducerSettings);
  rd_kafka_conf_set_dr_msg_cb(producer_conf, on_delivery);
  rd_kafka_conf_set_opaque(producer_conf, &delivery_errors);
  std::unique_ptr<hoptrace::kafka::TracedProducer> traced_producer;
  rd_kafka_t* producer = nullptr;
  if (tracing != nullptr) {
    hoptrace::kafka::ProducerOptions options;
    options.tracer = tracing->tracer;
    traced_producer = std::make_unique<hoptrace::kafka::TracedProducer>(
        hoptrace::kafka::TracedProducer::create(producer_conf, std::move(options)));
    producer = traced_producer->handle();
  } else {
    producer = rd_kafka_new(RD_KAFKA_PRODUCER, producer_conf, errstr, sizeof(errstr));
    if (producer == nullptr) throw std::runtime_error(errstr);
  }
  // Warm up: metadata for the topic, so the clock measures throughput, not connection set-up.
  rd_kafka_topic_t* handle = rd_kafka_topic_new(producer, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_metadata(producer, 0, handle, &metadata, 5000);
  if (metadata != nullptr) rd_kafka_metadata_destroy(metadata);
  rd_kafka_topic_destroy(handle);

  std::atomic<std::size_t> consumed{0};
  std::atomic<std::size_t> progress{0};
  std::atomic<double> consumer_cpu{0};
  const double process_cpu_before = process_cpu_seconds();
  std::thread consumer_thread([&] {
    const double cpu_before = thread_cpu_seconds();
    consumed =
        consume_messages(ConsumeArgs{mode, messages, consumer, traced_consumer.get(), &progress});
    consumer_cpu = thread_cpu_seconds() - cpu_before;
  });

  const double producer_cpu_before = thread_cpu_seconds();
  const auto started = Clock::now();
  produce_messages(ProduceArgs{mode, messages, &topic, producer, traced_producer.get(), &progress});
  const double producer_cpu = thread_cpu_seconds() - producer_cpu_before;
  consumer_thread.join();
  // The spans still queued in the batch processor are part of this mode's cost: export them
  // now, inside the timed run, or the next mode's run would pay for them (the worker exporting
  // this mode's last tens of thousands of spans while the next mode runs).
  if (tracing != nullptr) tracing->provider->force_flush(Clock::now() + std::chrono::seconds(30));
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const double process_cpu = process_cpu_seconds() - process_cpu_before;

  RunResult result;
  result.msgs_per_second = static_cast<double>(consumed.load()) / seconds;
  const double per_message_us = 1e6 / static_cast<double>(std::max<std::size_t>(messages, 1));
  result.process_cpu_us_per_message = process_cpu * per_message_us;
  result.app_cpu_us_per_message = (producer_cpu + consumer_cpu.load()) * per_message_us;
  result.producer_cpu_us_per_message = producer_cpu * per_message_us;
  result.consumer_cpu_us_per_message = consumer_cpu.load() * per_message_us;
  result.delivery_errors = delivery_errors.load();
  if (consumed.load() != messages) {
    std::fprintf(stderr, "%s: consumed %zu of %zu messages\n", name_of(mode), consumed.load(),
                 messages);
  }
  if (traced_consumer) {
    traced_consumer->close();
  } else {
    rd_kafka_consumer_close(consumer);
    rd_kafka_destroy(consumer);
  }
  traced_producer.reset();
  if (tracing == nullptr) rd_kafka_destroy(producer);
  traced_consumer.reset();
  return result;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) try {
  const std::size_t messages =
      from_env_or_arg(argc, argv, 1, "HOPTRACE_BENCH_KAFKA_MESSAGES", 1'000'000);
  const std::size_t rounds = from_env_or_arg(argc, argv, 2, "HOPTRACE_BENCH_KAFKA_ROUNDS", 3);

  char errstr[256];
  rd_kafka_conf_t* host_conf = rd_kafka_conf_new();
  rd_kafka_conf_set(host_conf, "log_level", "3", errstr, sizeof(errstr));
  rd_kafka_t* host = rd_kafka_new(RD_KAFKA_PRODUCER, host_conf, errstr, sizeof(errstr));
  if (host == nullptr) throw std::runtime_error(errstr);
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(host, 1);
  if (cluster == nullptr) throw std::runtime_error("rd_kafka_mock_cluster_new failed");
  const std::string servers = rd_kafka_mock_cluster_bootstraps(cluster);

  std::printf(
      "hoptrace_bench_kafka: %zu messages of %zu bytes per run, %zu rounds, librdkafka %s, "
      "mock cluster (1 broker, 1 partition), producer at most %zu messages ahead\n",
      messages, kPayloadSize, rounds, rd_kafka_version_str(), kWindow);
  std::printf("producer:");
  for (const auto& [name, value] : kProducerSettings) std::printf(" %s=%s", name, value);
  std::printf("\nconsumer:");
  for (const auto& [name, value] : kConsumerSettings) std::printf(" %s=%s", name, value);
  std::printf(
      "\nsampled: BatchSpanProcessor max_queue_size=%zu max_export_batch_size=%zu "
      "schedule_delay=100ms into a discarding exporter\n",
      kSpanQueue, kSpanQueue / 8);

  const Tracing sampled = make_tracing(true);
  const Tracing unsampled = make_tracing(false);
  std::vector<double> results[4];
  std::vector<double> process_cpu[4];
  std::vector<double> app_cpu[4];
  for (std::size_t round = 0; round < rounds; ++round) {
    for (std::size_t k = 0; k < 4; ++k) {
      // Rotate the order each round so no mode always runs first or last.
      const Mode mode = kModes[(k + round) % 4];
      // HOPTRACE_BENCH_KAFKA_ONLY=<mode> runs one mode (for profiling; no ratio then).
      if (const char* only = std::getenv("HOPTRACE_BENCH_KAFKA_ONLY");
          only != nullptr && std::strcmp(only, name_of(mode)) != 0) {
        results[static_cast<int>(mode)].push_back(1);
        process_cpu[static_cast<int>(mode)].push_back(1);
        app_cpu[static_cast<int>(mode)].push_back(1);
        continue;
      }
      const Tracing* tracing = mode == Mode::kSampled     ? &sampled
                               : mode == Mode::kUnsampled ? &unsampled
                                                          : nullptr;
      const std::string topic = std::string("bench-") + name_of(mode) + "-" + std::to_string(round);
      const RunResult result = run(mode, servers, cluster, topic, messages, tracing);
      results[static_cast<int>(mode)].push_back(result.msgs_per_second);
      process_cpu[static_cast<int>(mode)].push_back(result.process_cpu_us_per_message);
      app_cpu[static_cast<int>(mode)].push_back(result.app_cpu_us_per_message);
      std::printf(
          "round %zu %-9s %12.0f msgs/s  cpu %.3f us/msg (app threads %.3f: producer %.3f, "
          "consumer %.3f)%s\n",
          round + 1, name_of(mode), result.msgs_per_second, result.process_cpu_us_per_message,
          result.app_cpu_us_per_message, result.producer_cpu_us_per_message,
          result.consumer_cpu_us_per_message, result.delivery_errors ? " (delivery errors)" : "");
      std::fflush(stdout);
    }
  }
  sampled.provider->shutdown(Clock::now() + std::chrono::seconds(10));
  unsampled.provider->shutdown(Clock::now() + std::chrono::seconds(10));
  const auto sampled_stats = sampled.provider->stats();

  double medians[4];
  double cpu_medians[4];
  double app_cpu_medians[4];
  for (int m = 0; m < 4; ++m) {
    medians[m] = median(results[m]);
    cpu_medians[m] = median(process_cpu[m]);
    app_cpu_medians[m] = median(app_cpu[m]);
    std::printf("%-9s %12.0f msgs/s (median)  cpu %.3f us/msg  app threads %.3f us/msg\n",
                name_of(kModes[m]), medians[m], cpu_medians[m], app_cpu_medians[m]);
  }
  const double baseline = medians[static_cast<int>(Mode::kRawTraceparent)];
  std::printf("raw+tp/raw %.3f\n", baseline / medians[static_cast<int>(Mode::kRaw)]);
  std::printf("sampled spans: %llu recorded, %llu exported, %llu dropped (queue full)\n",
              static_cast<unsigned long long>(sampled_stats.spans_recorded),
              static_cast<unsigned long long>(sampled_stats.processors.exported),
              static_cast<unsigned long long>(sampled_stats.processors.dropped_queue_full));
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf(
      "peak rss %ld MiB, pending delivery records %llu\n", usage.ru_maxrss / 1024,
      static_cast<unsigned long long>(hoptrace::kafka::producer_stats().pending_delivery_reports));
  std::printf("ratio sampled=%.3f unsampled=%.3f\n",
              medians[static_cast<int>(Mode::kSampled)] / baseline,
              medians[static_cast<int>(Mode::kUnsampled)] / baseline);
  const int tp = static_cast<int>(Mode::kRawTraceparent);
  std::printf("cpu-ratio sampled=%.3f unsampled=%.3f\n",
              cpu_medians[tp] / cpu_medians[static_cast<int>(Mode::kSampled)],
              cpu_medians[tp] / cpu_medians[static_cast<int>(Mode::kUnsampled)]);
  std::printf("app-cpu-ratio sampled=%.3f unsampled=%.3f\n",
              app_cpu_medians[tp] / app_cpu_medians[static_cast<int>(Mode::kSampled)],
              app_cpu_medians[tp] / app_cpu_medians[static_cast<int>(Mode::kUnsampled)]);

  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(host);
  return 0;
} catch (const std::exception& error) {
  std::fprintf(stderr, "hoptrace_bench_kafka: %s\n", error.what());
  return 1;
}
