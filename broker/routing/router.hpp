// The publish path: which sessions receive a message, with what QoS, retain flag and
// subscription identifiers (MQTT 5.0 sections 3.3.4 and 4.8), plus the retained messages.
//
// Locking: the subscription index is replicated once per worker. A publisher on worker W takes
// only replica W's lock, shared, so publishers never contend with each other or take a global
// lock; SUBSCRIBE and UNSUBSCRIBE update every replica in turn before they are acknowledged.
// Sessions are enqueued to while the replica lock is held (lock order: replica, then session).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "broker/session/session.hpp"
#include "broker/topic/retained_store.hpp"
#include "broker/topic/subscription_trie.hpp"

namespace ternmq::routing {

enum class shared_policy { prefer_local, random, local_only };

struct router_options {
  std::size_t replicas = 1;  // one per worker thread
  shared_policy policy = shared_policy::prefer_local;
  bool upgrade_outgoing_qos = false;
};

class router {
 public:
  explicit router(router_options options);
  router(const router&) = delete;
  router& operator=(const router&) = delete;

  // Adds or replaces `sub` for `s` (a `$share/<group>/` filter joins a shared group).
  // REQUIRES: the filter is valid (topic::is_valid_filter or topic::parse_shared).
  void subscribe(const std::shared_ptr<session::session>& s, const session::subscription& sub);
  // Returns true when the subscription existed.
  bool unsubscribe(topic::subscriber_id who, const std::string& filter);
  // Removes every subscription of `s` (session ended).
  void unsubscribe_all(const session::session& s);

  // Routes `m` from a publisher running on worker `replica`. Returns the number of sessions
  // the message was queued for.
  std::size_t publish(const session::message_ptr& m, std::size_t replica);

  // Retained messages: store `m` (or clear the topic when its payload is empty).
  void retain(const session::message_ptr& m);
  // Calls `f` for each retained message matching `filter` that has not expired at `now`.
  void retained_matching(const std::string& filter, const std::function<void(const session::message_ptr&)>& f,
                         session::clock::time_point now = session::clock::now()) const;
  std::size_t retained_count() const { return retained_.size(); }
  std::size_t subscription_count() const;

 private:
  struct replica {
    mutable std::shared_mutex mutex;
    topic::subscription_trie trie;
    // Sessions referenced by the trie, with the number of their subscriptions in it.
    std::unordered_map<topic::subscriber_id, std::pair<std::shared_ptr<session::session>, std::size_t>> sessions;
  };

  session::session* find_locked(const replica& r, topic::subscriber_id who) const;

  router_options options_;
  std::vector<std::unique_ptr<replica>> replicas_;
  topic::retained_store retained_;
};

}  // namespace ternmq::routing
