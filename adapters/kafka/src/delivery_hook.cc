#include "delivery_hook.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "delivery_record.h"
#include "hoptrace/core/error.h"
#include "hoptrace/kafka/producer.h"

namespace hoptrace::kafka {
namespace detail {
namespace {

// Which user callback belongs to which client. The delivery callback scans this small table
// (clients per process are few; most have one or two producers) without a lock; entries are
// written when a client is created and cleared when it is destroyed.
struct HookSlot {
  std::atomic<const rd_kafka_t*> client{nullptr};
  std::atomic<DeliveryCallback> user_callback{nullptr};
  std::atomic<bool> suppressed{false};
};
constexpr std::size_t kMaxHookedClients = 256;
std::array<HookSlot, kMaxHookedClients> g_slots;

HookSlot* find_slot(const rd_kafka_t* client) noexcept {
  for (HookSlot& slot : g_slots) {
    if (slot.client.load(std::memory_order_acquire) == client) return &slot;
  }
  return nullptr;
}

void traced_delivery(rd_kafka_t* client, const rd_kafka_message_t* message, void* opaque) {
  DeliveryRecordArena& arena = DeliveryRecordArena::instance();
  if (arena.owns(message->_private)) {
    auto* record = static_cast<DeliveryRecord*>(message->_private);
    // The delivery report belongs to the application's poll thread and nobody else reads it
    // now; restoring the opaque the user passed keeps their callback's view unchanged.
    const_cast<rd_kafka_message_t*>(message)->_private = record->user_opaque;
    finish_delivery(record, *message);
  }
  HookSlot* slot = find_slot(client);
  const DeliveryCallback user = slot == nullptr || slot->suppressed.load(std::memory_order_relaxed)
                                    ? nullptr
                                    : slot->user_callback.load(std::memory_order_acquire);
  if (user != nullptr) user(client, message, opaque);
}

rd_kafka_resp_err_t on_destroy(rd_kafka_t* client, void* /*ic_opaque*/) {
  if (HookSlot* slot = find_slot(client)) {
    slot->user_callback.store(nullptr, std::memory_order_relaxed);
    slot->suppressed.store(false, std::memory_order_relaxed);
    slot->client.store(nullptr, std::memory_order_release);
  }
  return RD_KAFKA_RESP_ERR_NO_ERROR;
}

rd_kafka_resp_err_t on_new(rd_kafka_t* client, const rd_kafka_conf_t* conf, void* ic_opaque,
                           char* errstr, std::size_t errstr_size) {
  (void)conf;
  const auto user = reinterpret_cast<DeliveryCallback>(reinterpret_cast<std::uintptr_t>(ic_opaque));
  for (HookSlot& slot : g_slots) {
    const rd_kafka_t* expected = nullptr;
    // Claim the slot first: nothing can be delivered before rd_kafka_new returns, so the
    // callback may be stored just after.
    if (slot.client.compare_exchange_strong(expected, client, std::memory_order_acq_rel)) {
      slot.suppressed.store(false, std::memory_order_relaxed);
      slot.user_callback.store(user, std::memory_order_release);
      return rd_kafka_interceptor_add_on_destroy(client, "hoptrace.kafka", on_destroy, nullptr);
    }
  }
  std::snprintf(errstr, errstr_size,
                "hoptrace: more than %zu traced Kafka producers alive at once; destroy unused "
                "ones",
                kMaxHookedClients);
  return RD_KAFKA_RESP_ERR__FAIL;
}

// Reads a callback pointer from the conf: librdkafka prints pointer properties with %p.
DeliveryCallback read_callback(rd_kafka_conf_t* conf, const char* name) noexcept {
  char buffer[64];
  std::size_t size = sizeof(buffer);
  if (rd_kafka_conf_get(conf, name, buffer, &size) != RD_KAFKA_CONF_OK) return nullptr;
  const std::uintptr_t value = std::strtoull(buffer, nullptr, 16);
  return reinterpret_cast<DeliveryCallback>(value);
}

}  // namespace

void suppress_user_deliveries(const rd_kafka_t* producer) noexcept {
  if (HookSlot* slot = find_slot(producer)) slot->suppressed.store(true, std::memory_order_relaxed);
}

bool is_delivery_hooked(const rd_kafka_t* producer) noexcept {
  return find_slot(producer) != nullptr;
}

}  // namespace detail

void prepare_producer_conf(rd_kafka_conf_t* conf) {
  if (conf == nullptr) throw ConfigError("hoptrace::kafka::prepare_producer_conf: conf is null");
  const detail::DeliveryCallback current = detail::read_callback(conf, "dr_msg_cb");
  if (current == &detail::traced_delivery) return;  // already prepared
  char legacy[64];
  std::size_t legacy_size = sizeof(legacy);
  if (rd_kafka_conf_get(conf, "dr_cb", legacy, &legacy_size) == RD_KAFKA_CONF_OK) {
    throw ConfigError(
        "hoptrace::kafka: the conf sets the legacy dr_cb delivery callback, which cannot be "
        "traced; set rd_kafka_conf_set_dr_msg_cb instead");
  }
  rd_kafka_conf_set_dr_msg_cb(conf, &detail::traced_delivery);
  void* user = reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(current));
  const rd_kafka_resp_err_t err =
      rd_kafka_conf_interceptor_add_on_new(conf, "hoptrace.kafka", detail::on_new, user);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_conf_set_dr_msg_cb(conf, current);
    throw Error(std::string("hoptrace::kafka: cannot add the delivery interceptor: ") +
                    rd_kafka_err2str(err),
                static_cast<int>(err));
  }
}

}  // namespace hoptrace::kafka
