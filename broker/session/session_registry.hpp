// Client identifier to session, node-wide. Takes part only in CONNECT, disconnect and the
// periodic sweep, never in the publish path. Thread-safe (one mutex, held for map operations).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "broker/session/session.hpp"

namespace ternmq::session {

class session_registry {
 public:
  // `node_counters` (may be null) is handed to every session created here.
  explicit session_registry(queue_counters* node_counters = nullptr) : node_counters_(node_counters) {}

  struct claim_result {
    std::shared_ptr<session> s;
    bool existed = false;         // an earlier session with this client id was found (kept or replaced)
    bool resumed = false;         // that earlier session was kept: CONNACK Session Present
    std::uint64_t generation = 0;  // from attaching `sink`, when one was given
  };

  // Finds the session of `client_id`, or creates it. With `clean_start`, or when the earlier
  // session ends with its connection (expiry interval 0: a 3.x clean session's state must not
  // be reused, MQTT-3.1.2-6), the earlier session is replaced by a fresh one; `on_replaced` is then called with the old one (outside the lock)
  // so its subscriptions can be removed from routing. When `sink` is given, the connection
  // holding a kept session is told it was taken over and `sink` is attached, all under the
  // registry lock, so concurrent CONNECTs with one client id attach in a single order and each
  // one displaces the previous.
  claim_result claim(const std::string& client_id, bool clean_start, const session_limits& limits,
                     const std::function<void(const std::shared_ptr<session>&)>& on_replaced,
                     std::shared_ptr<session_sink> sink = nullptr);

  // Removes `s` if it is still the registered session for its client id.
  bool remove(const std::shared_ptr<session>& s);

  struct release_result {
    bool owner = false;     // the connection was still the one attached
    bool ended = false;     // the session ended with it (expiry interval 0) and left the registry
    bool replaced = false;  // a newer session holds this client id (a Clean Start elsewhere)
  };
  // The connection attached under `generation` closed. Detaching and, for a session that ends
  // with its connection, leaving the registry happen under the registry lock, so a CONNECT
  // claims either the live session (and the closing connection is no longer its owner) or
  // nothing (and gets a fresh session): never a session that is being torn down.
  release_result release(const std::shared_ptr<session>& s, std::uint64_t generation, clock::time_point now);

  // Durable storage handed to every session created from now on (null = memory only).
  void set_persistence(session_persistence* store) { store_ = store; }
  // Start-up: registers an offline session loaded from storage.
  std::shared_ptr<session> restore(const std::string& client_id, const session_limits& limits);

  std::shared_ptr<session> find(const std::string& client_id) const;
  void for_each(const std::function<void(const std::shared_ptr<session>&)>& f) const;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<session>> sessions_;
  std::atomic<topic::subscriber_id> next_id_{1};
  queue_counters* node_counters_;
  session_persistence* store_ = nullptr;
};

}  // namespace ternmq::session
