#include "broker/store/message_store.hpp"

#include <map>

#include "core/base/log.hpp"

namespace ternmq::store {

message_store::message_store(core::kv::kv_store& kv) : kv_(kv) {}

void message_store::check(const core::status& s, const char* what) {
  if (s.ok()) return;
  // The message stays in memory and is still delivered; only its durability is lost.
  counters_.write_errors.fetch_add(1, std::memory_order_relaxed);
  TERNMQ_LOG(error) << "message store: " << what << " failed: " << s.message();
}

void message_store::save_session(const session::session_record& record) {
  check(kv_.put(session_key(record.client_id), encode_session(record)), "save session");
}

void message_store::erase_session(const std::string& client_id) {
  core::kv::write_batch batch;
  batch.erase(session_key(client_id));
  const auto scanned = kv_.scan(queue_prefix(client_id), [&](std::string_view key, std::string_view) {
    batch.erase(std::string(key));
    return true;
  });
  check(scanned, "scan session messages");
  check(kv_.write(batch), "erase session");
}

std::uint64_t message_store::save_message(const std::string& client_id, const session::delivery& d) {
  const std::uint64_t seq = next_seq_.fetch_add(1, std::memory_order_relaxed);
  const auto s = kv_.put(queue_key(client_id, seq), encode_message(*d.msg, d.qos, d.retain, d.subscription_ids, 0, false));
  check(s, "save message");
  return s.ok() ? seq : 0;
}

void message_store::save_in_flight(const std::string& client_id, std::uint64_t seq, const session::delivery& d,
                                   std::uint16_t packet_id, bool released) {
  if (!d.msg) return;
  check(kv_.put(queue_key(client_id, seq), encode_message(*d.msg, d.qos, d.retain, d.subscription_ids, packet_id, released)),
        "save in-flight state");
}

void message_store::erase_message(const std::string& client_id, std::uint64_t seq) {
  check(kv_.erase(queue_key(client_id, seq)), "erase message");
}

void message_store::save_retained(const session::message& m) {
  check(kv_.put(retained_key(m.topic), encode_message(m, m.qos, true, {}, 0, false)), "save retained message");
}

void message_store::erase_retained(const std::string& topic) {
  check(kv_.erase(retained_key(topic)), "erase retained message");
}

core::result<message_store::contents> message_store::load() {
  contents out;
  std::uint64_t max_seq = 0;
  auto corrupt = [&](std::string_view key) {
    counters_.corrupt_records.fetch_add(1, std::memory_order_relaxed);
    TERNMQ_LOG(error) << "message store: skipping corrupt record under key of " << key.size() << " bytes";
  };
  auto s = kv_.scan(k_retained_prefix, [&](std::string_view key, std::string_view value) {
    auto m = decode_message(value);
    if (!m || !m->msg) {
      corrupt(key);
    } else {
      out.retained.push_back(m->msg);
    }
    return true;
  });
  if (!s.ok()) return core::error{1, "reading retained messages: " + s.message()};

  std::map<std::string, loaded_session> sessions;
  s = kv_.scan(k_session_prefix, [&](std::string_view key, std::string_view value) {
    const std::string_view client_id = key.substr(k_session_prefix.size());
    auto rec = decode_session(client_id, value);
    if (!rec) {
      corrupt(key);
    } else {
      sessions[std::string(client_id)].record = std::move(*rec);
    }
    return true;
  });
  if (!s.ok()) return core::error{1, "reading sessions: " + s.message()};

  std::vector<std::string> orphans;
  s = kv_.scan(k_queue_prefix, [&](std::string_view key, std::string_view value) {
    auto parsed = parse_queue_key(key);
    auto m = decode_message(value);
    if (!parsed || !m) {
      corrupt(key);
      return true;
    }
    max_seq = std::max(max_seq, parsed->second);
    auto it = sessions.find(parsed->first);
    if (it == sessions.end()) {
      orphans.emplace_back(key);  // its session was erased but the batch did not reach it
      return true;
    }
    it->second.messages.emplace_back(parsed->second, std::move(*m));
    return true;
  });
  if (!s.ok()) return core::error{1, "reading queued messages: " + s.message()};
  for (const auto& k : orphans) check(kv_.erase(k), "erase orphan message");
  next_seq_.store(max_seq + 1);
  for (auto& [_, ls] : sessions) out.sessions.push_back(std::move(ls));
  return out;
}

}  // namespace ternmq::store
