// Member list <-> key-value store; see membership_store.hpp.
#include "broker/cluster_net/membership_store.hpp"

#include <string>

namespace ternmq::cluster_net {

core::result<std::vector<cluster::member_entry>> membership_store::load() const {
  std::vector<cluster::member_entry> out;
  std::string failure;
  auto scanned = kv_.scan(k_members_key_prefix, [&](std::string_view key, std::string_view value) {
    auto m = cluster::decode(cluster::frame{static_cast<std::uint8_t>(cluster::message_type::members), std::string(value)});
    const auto* list = m ? std::get_if<cluster::members>(&*m) : nullptr;
    if (!list || list->list.size() != 1) {
      failure = std::string(key) + ": " + (m ? "not one member entry" : m.err().message);
      return false;
    }
    out.push_back(list->list.front());
    return true;
  });
  if (!scanned.ok()) return core::error{1, scanned.message()};
  if (!failure.empty()) return core::error{1, "corrupt member entry " + failure};
  return out;
}

core::status membership_store::save(const std::vector<cluster::member_entry>& entries) {
  core::kv::write_batch batch;
  auto stored = load();
  if (stored) {
    for (const auto& e : *stored) batch.erase(std::string(k_members_key_prefix) + e.nodename);
  }
  for (const auto& e : entries) {
    auto payload = cluster::encode_payload(cluster::members{{e}});
    if (!payload) return core::status::failure(payload.err().message);
    batch.put(std::string(k_members_key_prefix) + e.nodename, std::move(payload).value());
  }
  return kv_.write(batch);
}

}  // namespace ternmq::cluster_net
