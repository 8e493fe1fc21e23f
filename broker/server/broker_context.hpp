// The node-wide services every connection uses, owned by `broker_server`. Passed by reference;
// each member documents its own thread safety.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "broker/config/broker_config.hpp"
#include "broker/routing/router.hpp"
#include "broker/session/message.hpp"
#include "broker/session/session_registry.hpp"
#include "broker/server/access_control.hpp"
#include "broker/store/message_store.hpp"
#include "core/kv/kv_store.hpp"

namespace boost::asio {
class thread_pool;
}

namespace ternmq::server {

// Node counters. Relaxed atomics: read for metrics, never used for synchronisation.
struct broker_counters {
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> connections_refused{0};  // listener full
  std::atomic<std::uint64_t> connections_current{0};
  std::atomic<std::uint64_t> protocol_errors{0};
  std::atomic<std::uint64_t> wills_published{0};
  std::atomic<std::uint64_t> sessions_expired{0};
};

struct broker_context {
  explicit broker_context(std::shared_ptr<const config::broker_config> cfg, std::size_t workers);
  ~broker_context();

  // The current configuration; replaced as a whole on SIGHUP (connections read it at CONNECT).
  std::shared_ptr<const config::broker_config> config() const { return config_.load(); }
  void replace_config(std::shared_ptr<const config::broker_config> cfg) { config_.store(std::move(cfg)); }

  session::session_limits limits() const;
  // Opens the message store under persistent_store_dir and loads sessions and retained messages
  // from it. Call once, before any connection.
  core::status open_store();
  // Stores (or, for an empty payload, clears) a retained message, in memory and on disk.
  void retain(const session::message_ptr& m);
  // Publishes a will or other server-originated message as if published on worker `worker`.
  void publish(const session::message_ptr& m, std::size_t worker);
  // Ends `s`: removes it from the registry and routing, publishing its delayed will if any.
  void end_session(const std::shared_ptr<session::session>& s, std::size_t worker);

  std::atomic<std::shared_ptr<const config::broker_config>> config_;
  routing::router router;
  session::queue_counters queue_counters;  // before `registry`, which hands it to sessions
  session::session_registry registry{&queue_counters};
  broker_counters counters;
  std::atomic<bool> shutting_down{false};
  std::unique_ptr<core::kv::kv_store> kv;
  std::unique_ptr<store::message_store> store;
  // Authentication and ACLs; replaced as a whole when SIGHUP names other files.
  std::atomic<std::shared_ptr<access_control>> access;
  // Password checks (deliberately slow) run here, never on a connection's worker.
  std::unique_ptr<boost::asio::thread_pool> auth_pool;
};

}  // namespace ternmq::server
