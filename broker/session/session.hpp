// The server side of an MQTT session (5.0 section 4.1): subscriptions, the outbound queue,
// QoS 1/2 messages in flight both ways, and the expiry and delayed-will timing. It outlives
// connections: a client that reconnects with Clean Start 0 gets the same object back.
//
// Thread safety: `enqueue` is called by publishers on any worker; everything else is called by
// the attached connection or by the registry. All state is guarded by one mutex per session
// (never a global lock), held only for queue bookkeeping, never across I/O.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "broker/session/message.hpp"
#include "broker/session/persistence.hpp"
#include "broker/topic/subscription_trie.hpp"

namespace ternmq::session {

enum class queue_order { fifo, lifo };

struct session_limits {
  std::uint32_t max_inflight = 20;           // 0 = no limit (65535)
  std::int64_t max_online_messages = 1000;   // -1 = no limit
  std::int64_t max_offline_messages = 1000;  // -1 = no limit
  queue_order order = queue_order::fifo;
};

// The attached connection, woken when there is something to send. `wake` may be called from
// any thread and must only schedule work on the connection's own executor.
class session_sink {
 public:
  virtual ~session_sink() = default;
  virtual void wake() = 0;
  // Another connection claimed this session: close with Session Taken Over.
  virtual void taken_over() = 0;
};

// One subscription as the client made it (the filter includes any `$share/<group>/` prefix).
struct subscription {
  std::string filter;
  topic::subscription_options options;
};

struct session_counters {
  std::uint64_t dropped_queue_full = 0;
  std::uint64_t dropped_offline_qos0 = 0;
  std::uint64_t dropped_expired = 0;
};

// The same counts summed over every session of the node, for metrics and $SYS. Shared by all
// sessions; only bumped when a message is dropped, never on the normal path.
struct queue_counters {
  std::atomic<std::uint64_t> dropped_queue_full{0};
  std::atomic<std::uint64_t> dropped_offline_qos0{0};
  std::atomic<std::uint64_t> dropped_expired{0};
};

// What the connection should write next.
struct outgoing {
  enum class kind { publish, pubrel };
  kind what = kind::publish;
  delivery d;  // for publish
  std::uint16_t packet_id = 0;
  bool dup = false;
};

class session {
 public:
  // `node_counters` (may be null) receives the node-wide drop counts.
  session(topic::subscriber_id id, std::string client_id, session_limits limits,
          queue_counters* node_counters = nullptr);
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  topic::subscriber_id id() const { return id_; }
  const std::string& client_id() const { return client_id_; }

  // Any thread. Queues `d` under the online or offline limit and wakes the connection.
  // Returns false when the message was dropped.
  bool enqueue(delivery d);

  // Connection side. `attach` returns a generation; `detach` with a stale generation (the
  // session was taken over since) does nothing and returns false.
  std::uint64_t attach(std::shared_ptr<session_sink> sink);
  bool detach(std::uint64_t generation, clock::time_point now);
  bool online() const;
  bool attached_as(std::uint64_t generation) const;
  // Tells the attached connection, if any, that a new connection claims the session.
  void notify_taken_over();

  // Moves ready messages from the queue into flight, up to the send quota (the smaller of the
  // client's Receive Maximum and `max_inflight`), skipping expired ones.
  // Does nothing unless the caller is still attached under `generation`.
  void take_ready(std::uint64_t generation, std::vector<outgoing>& out, std::size_t max_batch,
                  std::uint16_t receive_maximum, clock::time_point now);
  // For a resumed session: every unacknowledged PUBLISH (with DUP) and PUBREL, in order.
  void resend_inflight(std::uint64_t generation, std::vector<outgoing>& out);
  // MQTT 3.x only (5.0 forbids it, MQTT-4.4.0-1): entries unacknowledged for `interval` since
  // they were last sent, to send again (PUBLISH with DUP, or PUBREL); their clock restarts.
  void collect_retries(std::uint64_t generation, clock::time_point now, clock::duration interval,
                       std::vector<outgoing>& out);
  // Drops messages in flight that were never sent to a client that could not take them
  // (too large): frees the packet identifier.
  void forget_inflight(std::uint16_t packet_id);

  // Acknowledgements from the client. Each returns false for an unknown packet identifier.
  bool on_puback(std::uint16_t packet_id);
  // QoS 2 step 1: now waiting for PUBCOMP; `now` restarts its retry clock.
  bool on_pubrec(std::uint16_t packet_id, clock::time_point now = clock::now());
  bool on_pubcomp(std::uint16_t packet_id);

  // Incoming QoS 2 (client to server): identifiers received and not yet released.
  // `begin_incoming_qos2` returns false when the identifier is already pending (a duplicate).
  bool begin_incoming_qos2(std::uint16_t packet_id);
  bool release_incoming_qos2(std::uint16_t packet_id);
  std::size_t incoming_qos2_pending() const;

  // Subscriptions, keyed by the filter text.
  void set_subscription(const subscription& s);
  bool remove_subscription(const std::string& filter);
  std::vector<subscription> subscriptions() const;
  // The session ended: drop subscriptions, queue and flight state, erase its stored records
  // and stop writing to storage.
  void clear();

  // Expiry and will timing, used by the registry's sweep.
  void set_expiry_interval(std::uint32_t seconds);
  std::uint32_t expiry_interval() const;
  std::optional<clock::time_point> offline_since() const;
  void set_delayed_will(message_ptr will, clock::time_point due);
  // Takes the delayed will when due (or when `force`), leaving none behind.
  message_ptr take_delayed_will(clock::time_point now, bool force);

  // Durable storage for this session (null = memory only). Used while the expiry interval is
  // above zero; the session record is written at once.
  void set_persistence(session_persistence* store);
  // Restart: messages loaded from storage, before any connection attaches.
  void restore_queued(delivery d);
  void restore_in_flight(delivery d, std::uint16_t packet_id, bool released);
  void restore_offline_since(clock::time_point t);

  void set_limits(const session_limits& limits);
  session_counters counters() const;
  std::size_t queued() const;
  std::size_t inflight() const;

 private:
  struct in_flight {
    outgoing::kind stage = outgoing::kind::publish;  // publish: awaiting PUBACK/PUBREC; pubrel: awaiting PUBCOMP
    delivery d;
    clock::time_point sent_at{};
  };

  std::uint16_t next_packet_id_locked();
  bool persistent_locked() const { return store_ != nullptr && expiry_interval_ > 0; }
  void save_record_locked();
  void erase_stored_locked(const delivery& d);

  const topic::subscriber_id id_;
  const std::string client_id_;

  mutable std::mutex mutex_;
  session_limits limits_;
  std::shared_ptr<session_sink> sink_;
  std::uint64_t generation_ = 0;
  std::deque<delivery> queue_;
  std::map<std::uint16_t, in_flight> inflight_;  // ordered by send order within a wrap
  std::vector<std::uint16_t> inflight_order_;    // packet ids in the order first sent
  std::uint16_t last_packet_id_ = 0;
  std::set<std::uint16_t> incoming_qos2_;
  std::map<std::string, topic::subscription_options> subscriptions_;
  std::uint32_t expiry_interval_ = 0;
  std::optional<clock::time_point> offline_since_;
  message_ptr delayed_will_;
  clock::time_point delayed_will_due_{};
  session_counters counters_;
  queue_counters* node_counters_;
  session_persistence* store_ = nullptr;
};

}  // namespace ternmq::session
