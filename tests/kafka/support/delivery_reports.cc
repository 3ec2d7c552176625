#include "delivery_reports.h"

namespace hoptrace::kafka::testing {
namespace {

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* conf_opaque) {
  auto* reports = static_cast<DeliveryReports*>(conf_opaque);
  reports->last_error = message->err;
  reports->last_opaque = message->_private;
  reports->calls.fetch_add(1);
}

}  // namespace

rd_kafka_conf_t* DeliveryReports::record_into(rd_kafka_conf_t* conf) {
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_conf_set_opaque(conf, this);
  return conf;
}

}  // namespace hoptrace::kafka::testing
