// Durable state of one broker node on a kv_store (LevelDB in production): persistent sessions,
// their unacknowledged QoS 1/2 messages, and retained messages. Implements the session
// module's `session_persistence`. Thread-safe: the kv_store serialises writes; the sequence
// counter is atomic.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/session/persistence.hpp"
#include "broker/store/records.hpp"
#include "core/base/result.hpp"
#include "core/kv/kv_store.hpp"

namespace ternmq::store {

struct store_counters {
  std::atomic<std::uint64_t> write_errors{0};
  std::atomic<std::uint64_t> corrupt_records{0};
};

class message_store final : public session::session_persistence {
 public:
  explicit message_store(core::kv::kv_store& kv);

  // session_persistence
  void save_session(const session::session_record& record) override;
  void erase_session(const std::string& client_id) override;
  std::uint64_t save_message(const std::string& client_id, const session::delivery& d) override;
  void save_in_flight(const std::string& client_id, std::uint64_t seq, const session::delivery& d,
                      std::uint16_t packet_id, bool released) override;
  void erase_message(const std::string& client_id, std::uint64_t seq) override;

  void save_retained(const session::message& m);
  void erase_retained(const std::string& topic);

  // Start-up: everything stored, in key order. Corrupt records are skipped and counted.
  struct loaded_session {
    session::session_record record;
    std::vector<std::pair<std::uint64_t, stored_message>> messages;  // by sequence
  };
  struct contents {
    std::vector<session::message_ptr> retained;
    std::vector<loaded_session> sessions;
  };
  core::result<contents> load();

  const store_counters& counters() const { return counters_; }

 private:
  void check(const core::status& s, const char* what);

  core::kv::kv_store& kv_;
  std::atomic<std::uint64_t> next_seq_{1};
  store_counters counters_;
};

}  // namespace ternmq::store
