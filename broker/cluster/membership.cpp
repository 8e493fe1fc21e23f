// The replicated member list; see membership.hpp.
#include "broker/cluster/membership.hpp"

#include <utility>

#include "broker/cluster/error.hpp"

namespace ternmq::cluster {
namespace {

std::optional<member_value> live_value(const std::optional<std::string>& bytes) {
  if (!bytes) return std::nullopt;
  auto v = decode_member_value(*bytes);
  // Entries are checked when decoded from the wire and built by us otherwise.
  if (!v) return std::nullopt;
  return std::move(*v);
}

member to_member(const std::string& nodename, const member_value& v) { return member{nodename, v.address, v.state}; }

}  // namespace

metadata_entry to_metadata_entry(const member_entry& e) {
  return metadata_entry{member_key(e.nodename), e.stamp, encode_value(member_value{e.address, e.state})};
}

member_entry to_member_entry(const metadata_entry& e) {
  const member_value v = live_value(e.value).value_or(member_value{});
  return member_entry{e.key.name, v.address, v.state, e.stamp};
}

membership::membership(std::string self, std::uint64_t max_drift_ms) : self_(std::move(self)), map_(self_, max_drift_ms) {}

member_entry membership::join(const std::string& nodename, const std::string& address, std::uint64_t now_ms) {
  return to_member_entry(
      map_.put(member_key(nodename), encode_value(member_value{address, member_state::joined}), now_ms));
}

core::result<member_entry> membership::set_state(const std::string& nodename, member_state state, std::uint64_t now_ms) {
  auto current = live_value(map_.get(member_key(nodename)));
  if (!current) return make_error(errc::unknown_node, "unknown node " + nodename);
  current->state = state;
  return to_member_entry(map_.put(member_key(nodename), encode_value(*current), now_ms));
}

core::result<member_entry> membership::leave(const std::string& nodename, std::uint64_t now_ms) {
  return set_state(nodename, member_state::leaving, now_ms);
}

core::result<member_entry> membership::mark_left(const std::string& nodename, std::uint64_t now_ms) {
  return set_state(nodename, member_state::left, now_ms);
}

core::result<std::optional<member_change>> membership::apply(const metadata_entry& e, std::uint64_t now_ms) {
  auto changed = map_.apply(e, now_ms);
  if (!changed) return changed.err();
  if (!*changed) return std::optional<member_change>{};
  const metadata_change& c = **changed;
  return std::optional<member_change>{member_change{c.key.name, live_value(c.before), live_value(c.after)}};
}

core::result<std::vector<member_change>> membership::merge(const std::vector<member_entry>& entries,
                                                           std::uint64_t now_ms) {
  std::vector<member_change> out;
  for (const auto& e : entries) {
    auto changed = apply(to_metadata_entry(e), now_ms);
    if (!changed) return changed.err();
    if (*changed) out.push_back(std::move(**changed));
  }
  return out;
}

std::vector<member_entry> membership::entries() const {
  std::vector<member_entry> out;
  for (const auto& e : map_.snapshot()) {
    if (!e.tombstone()) out.push_back(to_member_entry(e));
  }
  return out;
}

std::optional<member> membership::find(const std::string& nodename) const {
  auto v = live_value(map_.get(member_key(nodename)));
  if (!v) return std::nullopt;
  return to_member(nodename, *v);
}

std::vector<member> membership::members() const {
  std::vector<member> out;
  for (const auto& e : entries()) {
    if (e.state != member_state::left) out.push_back(member{e.nodename, e.address, e.state});
  }
  return out;
}

bool membership::is_member(const std::string& nodename) const {
  auto m = find(nodename);
  return m && m->state != member_state::left;
}

std::vector<member> membership::peers_to_connect() const {
  std::vector<member> out;
  for (auto& m : members()) {
    if (m.nodename != self_) out.push_back(std::move(m));
  }
  return out;
}

}  // namespace ternmq::cluster
