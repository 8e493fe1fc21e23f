#include "broker/server/broker_context.hpp"

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
    : config_(cfg), router(router_options_from(*cfg, workers)) {}

session::session_limits broker_context::limits() const {
  const auto c = config();
  session::session_limits l;
  l.max_inflight = c->max_inflight_messages;
  l.max_online_messages = c->max_online_messages;
  l.max_offline_messages = c->max_offline_messages;
  l.order = c->queue == config::queue_type::lifo ? session::queue_order::lifo : session::queue_order::fifo;
  return l;
}

void broker_context::publish(const session::message_ptr& m, std::size_t worker) {
  if (m->retain) router.retain(m);
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
