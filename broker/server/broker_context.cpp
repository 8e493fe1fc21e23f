#include "broker/server/broker_context.hpp"

#include <fstream>

#include <boost/asio/thread_pool.hpp>

#include "core/base/log.hpp"
#include "core/kv/leveldb_kv_store.hpp"

namespace ternmq::server {
namespace {

routing::router_options router_options_from(const config::broker_config& c, std::size_t workers) {
  routing::router_options o;
  o.replicas = workers;
  o.upgrade_outgoing_qos = c.upgrade_outgoing_qos;
  switch (c.shared_policy) {
    case config::shared_subscription_policy::prefer_local: o.policy = routing::shared_policy::prefer_local; break;
    case config::shared_subscription_policy::random: o.policy = routing::shared_policy::random; break;
    case config::shared_subscription_policy::local_only: o.policy = routing::shared_policy::local_only; break;
  }
  return o;
}

}  // namespace

broker_context::broker_context(std::shared_ptr<const config::broker_config> cfg, std::size_t workers)
    : config_(cfg), router(router_options_from(*cfg, workers)), auth_pool(std::make_unique<boost::asio::thread_pool>(1)) {}

broker_context::~broker_context() {
  if (auth_pool) auth_pool->join();
}

session::session_limits broker_context::limits() const {
  const auto c = config();
  session::session_limits l;
  l.max_inflight = c->max_inflight_messages;
  l.max_online_messages = c->max_online_messages;
  l.max_offline_messages = c->max_offline_messages;
  l.order = c->queue == config::queue_type::lifo ? session::queue_order::lifo : session::queue_order::fifo;
  return l;
}

namespace {

// LevelDB's block cache: leveldb.maximum_memory.percent of the machine's memory, as VerneMQ
// sizes it (LevelDB fills its cache lazily, so the figure is a ceiling, not an allocation).
std::size_t cache_bytes(int percent) {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::size_t kib = 0;
  while (meminfo >> key >> kib) {
    if (key == "MemTotal:") return kib * 1024 / 100 * static_cast<std::size_t>(percent);
    meminfo.ignore(64, '\n');
  }
  return std::size_t{64} << 20;
}

}  // namespace

core::status broker_context::open_store() {
  const auto cfg = config();
  auto opened = core::kv::leveldb_kv_store::open(cfg->persistent_store_dir, cache_bytes(cfg->leveldb_maximum_memory_percent));
  if (!opened) return core::status::failure("message store: " + opened.err().message);
  kv = std::move(opened).value();
  store = std::make_unique<store::message_store>(*kv);
  auto contents = store->load();
  if (!contents) return core::status::failure("message store " + cfg->persistent_store_dir + ": " + contents.err().message);
  for (const auto& m : contents->retained) router.retain(m);
  const auto now = session::clock::now();
  const auto wall_now = std::chrono::system_clock::now();
  std::size_t messages = 0;
  for (auto& ls : contents->sessions) {
    auto s = registry.restore(ls.record.client_id, limits());
    const auto since = ls.record.offline_since.time_since_epoch().count() == 0
                           ? now
                           : now - std::chrono::duration_cast<session::clock::duration>(wall_now - ls.record.offline_since);
    s->restore_offline_since(since);
    for (const auto& sub : ls.record.subscriptions) {
      s->set_subscription(sub);
      router.subscribe(s, sub);
    }
    for (auto& [seq, sm] : ls.messages) {
      session::delivery d{sm.msg, sm.qos, sm.retain, std::move(sm.subscription_ids), seq};
      if (sm.packet_id != 0) {
        s->restore_in_flight(std::move(d), sm.packet_id, sm.released);
      } else {
        s->restore_queued(std::move(d));
      }
      ++messages;
    }
    s->set_expiry_interval(ls.record.expiry_interval);
    s->set_persistence(store.get());
  }
  registry.set_persistence(store.get());
  TERNMQ_LOG(info) << "message store " << cfg->persistent_store_dir << ": " << contents->retained.size()
                   << " retained messages, " << contents->sessions.size() << " sessions, " << messages
                   << " queued messages restored";
  return core::status::success();
}

void broker_context::retain(const session::message_ptr& m) {
  router.retain(m);
  if (!store) return;
  if (m->payload.empty()) {
    store->erase_retained(m->topic);
  } else {
    store->save_retained(*m);
  }
}

void broker_context::publish(const session::message_ptr& m, std::size_t worker) {
  if (m->retain) retain(m);
  router.publish(m, worker);
}

void broker_context::end_session(const std::shared_ptr<session::session>& s, std::size_t worker) {
  registry.remove(s);
  router.unsubscribe_all(*s);
  if (auto will = s->take_delayed_will(session::clock::now(), true)) {
    counters.wills_published.fetch_add(1, std::memory_order_relaxed);
    publish(will, worker);
  }
  s->clear();
}

}  // namespace ternmq::server
