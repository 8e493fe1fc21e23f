// What a session tells durable storage, so a restarted (or killed) node gets its persistent
// sessions back with every QoS 1/2 message not yet acknowledged by the receiver. Declared here
// and implemented by `store::message_store`, so the session module needs no database.
//
// Only sessions that outlive their connection (expiry interval > 0) are written. Calls come from
// any worker thread, under the calling session's mutex: implementations must be thread-safe and
// must not call back into the session.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "broker/session/message.hpp"

namespace ternmq::session {

struct subscription;

struct session_record {
  std::string client_id;
  std::uint32_t expiry_interval = 0;
  std::vector<subscription> subscriptions;
  // When the session went offline (wall clock, for restarts); zero while online.
  std::chrono::system_clock::time_point offline_since{};
};

class session_persistence {
 public:
  virtual ~session_persistence() = default;
  virtual void save_session(const session_record& record) = 0;
  // Removes the session and every message stored for it.
  virtual void erase_session(const std::string& client_id) = 0;
  // Stores a queued message; returns the key sequence number to pass back later (0 = not stored).
  virtual std::uint64_t save_message(const std::string& client_id, const delivery& d) = 0;
  // Records that the message went out under `packet_id` (and, once PUBREC came, `released`).
  virtual void save_in_flight(const std::string& client_id, std::uint64_t seq, const delivery& d,
                              std::uint16_t packet_id, bool released) = 0;
  virtual void erase_message(const std::string& client_id, std::uint64_t seq) = 0;
};

}  // namespace ternmq::session
