#include "broker/server/node_metrics.hpp"

namespace ternmq::server {

std::vector<metric> collect_metrics(const broker_context& ctx) {
  const auto load = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  const auto& q = ctx.queue_counters;
  const auto& c = ctx.counters;
  return {
      {"socket_open", load(c.connections_accepted), "TCP connections accepted"},
      {"socket_refused", load(c.connections_refused), "TCP connections refused by max_connections"},
      {"client_connections", load(c.connections_current), "open client connections"},
      {"protocol_errors", load(c.protocol_errors), "connections closed for malformed or illegal packets"},
      {"queue_message_drop", load(q.dropped_queue_full), "messages dropped because a session queue was full"},
      {"queue_message_expired", load(q.dropped_expired), "messages dropped because their expiry interval passed"},
      {"queue_message_unhandled", load(q.dropped_offline_qos0), "QoS 0 messages dropped for offline sessions"},
      {"wills_published", load(c.wills_published), "will messages published"},
      {"sessions_expired", load(c.sessions_expired), "sessions removed by session expiry"},
      {"sessions", ctx.registry.size(), "sessions, online and offline"},
      {"retain_messages", ctx.router.retained_count(), "retained messages stored"},
      {"router_subscriptions", ctx.router.subscription_count(), "subscriptions in the routing table"},
  };
}

}  // namespace ternmq::server
