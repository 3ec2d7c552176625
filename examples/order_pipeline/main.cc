// The order pipeline: three services connected by Kafka, traced end to end.
//
//   checkout --(orders)--> payment --(payments)--> ledger
//
// checkout handles three HTTP requests and publishes an order for each; payment consumes
// orders, charges the card and publishes a payment; ledger consumes payments and books them.
// One trace runs from each request to its ledger entry. The services share this process (and
// one thread, so the demo is deterministic); each has its own tracer provider, as it would in
// its own process. Kafka is librdkafka's embedded mock cluster, which speaks the real protocol.
//
// Usage: order_pipeline [SPANS_FILE]   (default out/spans.jsonl; spans are appended as OTLP
// JSON lines). With OTEL_EXPORTER_OTLP_ENDPOINT set, spans also go to that collector.

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "hoptrace/core/sdk/otlp_file_exporter.h"
#include "hoptrace/core/sdk/simple_span_processor.h"
#include "hoptrace/core/sdk/tracer_provider.h"
#include "hoptrace/kafka/consumer.h"
#include "hoptrace/kafka/producer.h"
#include "hoptrace/kafka/version.h"
#ifdef ORDER_PIPELINE_WITH_OTLP
#include "hoptrace/otlp/otlp_environment.h"
#endif

namespace {

using hoptrace::kafka::ConsumedMessage;
using hoptrace::kafka::OutgoingMessage;
using hoptrace::kafka::TracedConsumer;
using hoptrace::kafka::TracedProducer;

// ---- Kafka: an embedded cluster and client configurations ----

class EmbeddedKafka {
 public:
  EmbeddedKafka() {
    char errstr[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "4", errstr, sizeof(errstr));  // it has no brokers
    host_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
    if (host_ == nullptr) throw std::runtime_error(errstr);
    cluster_ = rd_kafka_mock_cluster_new(host_, 1);
    if (cluster_ == nullptr) throw std::runtime_error("cannot start the mock Kafka cluster");
    rd_kafka_mock_topic_create(cluster_, "orders", 1, 1);
    rd_kafka_mock_topic_create(cluster_, "payments", 1, 1);
  }
  ~EmbeddedKafka() {
    rd_kafka_mock_cluster_destroy(cluster_);
    rd_kafka_destroy(host_);
  }
  EmbeddedKafka(const EmbeddedKafka&) = delete;
  EmbeddedKafka& operator=(const EmbeddedKafka&) = delete;

  std::string bootstrap_servers() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }

 private:
  rd_kafka_t* host_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

rd_kafka_conf_t* client_conf(const std::string& servers, const char* client_id,
                             const char* group = nullptr) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char errstr[256];
  auto set = [&](const char* name, const std::string& value) {
    if (rd_kafka_conf_set(conf, name, value.c_str(), errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
      throw std::runtime_error(errstr);
    }
  };
  set("bootstrap.servers", servers);
  set("client.id", client_id);
  if (group != nullptr) {
    set("group.id", group);
    set("auto.offset.reset", "earliest");
    set("enable.auto.commit", "false");
    set("fetch.wait.max.ms", "10");
  } else {
    set("linger.ms", "1");
  }
  return conf;
}

// ---- Tracing: one provider per service ----

std::shared_ptr<hoptrace::sdk::TracerProvider> make_provider(const char* service,
                                                             const std::string& spans_file) {
  using namespace hoptrace::sdk;
  TracerProviderOptions options = TracerProviderOptions::from_environment();
  options.resource =
      Resource::from_environment().merge(Resource({{"service.name", std::string(service)}}));
  auto provider = std::make_shared<TracerProvider>(std::move(options));
  // Exported as each span ends: the demo's services share one thread and one file.
  provider->add_processor(
      std::make_unique<SimpleSpanProcessor>(std::make_unique<OtlpFileExporter>(spans_file)));
#ifdef ORDER_PIPELINE_WITH_OTLP
  hoptrace::otlp::add_exporter_if_configured(*provider);
#endif
  return provider;
}

std::shared_ptr<hoptrace::Tracer> kafka_tracer(hoptrace::sdk::TracerProvider& provider) {
  return provider.get_tracer(hoptrace::kafka::kInstrumentationName, hoptrace::kafka::kVersion);
}

struct Order {
  const char* customer;
  const char* card;
  int cents;
};

}  // namespace

int main(int argc, char** argv) try {
  const std::string spans_file = argc > 1 ? argv[1] : "out/spans.jsonl";
  const auto spans_dir = std::filesystem::path(spans_file).parent_path();
  if (!spans_dir.empty()) std::filesystem::create_directories(spans_dir);

  EmbeddedKafka kafka;
  const std::string servers = kafka.bootstrap_servers();

  auto checkout = make_provider("checkout", spans_file);
  auto payment = make_provider("payment", spans_file);
  auto ledger = make_provider("ledger", spans_file);

  hoptrace::kafka::ProducerOptions checkout_options;
  checkout_options.tracer = kafka_tracer(*checkout);
  TracedProducer checkout_producer =
      TracedProducer::create(client_conf(servers, "checkout"), checkout_options);

  hoptrace::kafka::ConsumerOptions payment_in;
  payment_in.tracer = kafka_tracer(*payment);
  TracedConsumer payment_consumer =
      TracedConsumer::create(client_conf(servers, "payment", "payment"), payment_in);
  payment_consumer.subscribe({"orders"});
  hoptrace::kafka::ProducerOptions payment_out;
  payment_out.tracer = kafka_tracer(*payment);
  TracedProducer payment_producer =
      TracedProducer::create(client_conf(servers, "payment"), payment_out);

  hoptrace::kafka::ConsumerOptions ledger_in;
  ledger_in.tracer = kafka_tracer(*ledger);
  TracedConsumer ledger_consumer =
      TracedConsumer::create(client_conf(servers, "ledger", "ledger"), ledger_in);
  ledger_consumer.subscribe({"payments"});

  // checkout: three requests, each publishing one order.
  const Order orders[] = {{"ada", "4242", 1999}, {"grace", "4000", 4500}, {"linus", "0000", 990}};
  auto checkout_tracer = checkout->get_tracer("checkout");
  for (const Order& order : orders) {
    hoptrace::SpanStartOptions server;
    server.kind = hoptrace::SpanKind::kServer;
    hoptrace::Span request = checkout_tracer->start_span("POST /checkout", server);
    hoptrace::Scope scope = hoptrace::make_current(request);
    request.set_attribute("http.request.method", "POST").set_attribute("url.path", "/checkout");

    std::string body = std::string("{\"customer\":\"") + order.customer + "\",\"card\":\"" +
                       order.card + "\",\"cents\":" + std::to_string(order.cents) + "}";
    OutgoingMessage message;
    message.topic = "orders";
    message.key = order.customer;
    message.key_size = std::strlen(order.customer);
    message.value = body.data();
    message.value_size = body.size();
    message.flags = RD_KAFKA_MSG_F_COPY;
    if (rd_kafka_resp_err_t err = checkout_producer.produce(message)) {
      request.set_status(hoptrace::StatusCode::kError, rd_kafka_err2str(err));
    }
    request.set_attribute("http.response.status_code", 202);
    std::printf("checkout: order from %s published\n", order.customer);
  }
  checkout_producer.flush(5000);

  // payment and ledger: consume until every order is settled (or 20 s pass).
  auto payment_tracer = payment->get_tracer("payment");
  auto ledger_tracer = ledger->get_tracer("ledger");
  int charged = 0;
  int declined = 0;
  int booked = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (booked + declined < 3 && std::chrono::steady_clock::now() < deadline) {
    if (ConsumedMessage order = payment_consumer.poll(20);
        order && order.error() == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const std::string body(order.payload());
      hoptrace::SpanStartOptions client;
      client.kind = hoptrace::SpanKind::kClient;
      hoptrace::Span charge = payment_tracer->start_span("charge card", client);
      if (body.find("\"card\":\"0000\"") != std::string::npos) {
        charge.record_exception("CardDeclined", "card declined");
        order.set_error("card_declined", "the card was declined");
        ++declined;
        std::printf("payment: order from %.*s declined\n", static_cast<int>(order.key().size()),
                    order.key().data());
      } else {
        charge.end();
        std::string receipt = "{\"order\":" + body + ",\"status\":\"paid\"}";
        OutgoingMessage paid;
        paid.topic = "payments";
        paid.key = order.key().data();
        paid.key_size = order.key().size();
        paid.value = receipt.data();
        paid.value_size = receipt.size();
        paid.flags = RD_KAFKA_MSG_F_COPY;
        payment_producer.produce(paid);
        ++charged;
        std::printf("payment: order from %.*s charged\n", static_cast<int>(order.key().size()),
                    order.key().data());
      }
      charge.end();
      payment_consumer.commit(order);
    }
    payment_producer.poll(0);

    if (ConsumedMessage entry = ledger_consumer.poll(20);
        entry && entry.error() == RD_KAFKA_RESP_ERR_NO_ERROR) {
      hoptrace::Span book = ledger_tracer->start_span("book payment");
      book.set_attribute("ledger.account", "revenue");
      book.end();
      ledger_consumer.commit(entry);
      ++booked;
      std::printf("ledger: payment for %.*s booked\n", static_cast<int>(entry.key().size()),
                  entry.key().data());
    }
  }
  payment_producer.flush(5000);
  payment_consumer.close();
  ledger_consumer.close();
  checkout->shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5));
  payment->shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5));
  ledger->shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5));

  std::printf("%d charged, %d declined, %d booked; spans appended to %s\n", charged, declined,
              booked, spans_file.c_str());
  return booked == charged && booked + declined == 3 ? 0 : 1;
} catch (const std::exception& error) {
  std::fprintf(stderr, "order_pipeline: %s\n", error.what());
  return 1;
}
