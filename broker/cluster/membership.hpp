// The cluster's member list, replicated like any metadata: a `metadata_map` (map_id::membership)
// of nodename -> {cluster address, joined | leaving | left}. Joins and leaves are writes that
// every node merges, so members agree on the list without a leader once the writes spread.
//
// A node is not a member until someone writes it as joined: a fresh node calls
// `join(self, address)` once, and a node restarting with its persisted list must not, so that
// a node made to leave does not come back by restarting (VerneMQ's "a node that has left the
// cluster is considered dead").
//
// A value type of the pure cluster core: time passed in, no I/O. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/cluster/messages.hpp"
#include "broker/cluster/metadata_map.hpp"
#include "broker/cluster/metadata_types.hpp"

namespace ternmq::cluster {

struct member {
  std::string nodename;
  std::string address;
  member_state state = member_state::joined;
  bool operator==(const member&) const = default;
};

// A visible change of one node's membership, for the wiring to open or close links and to
// drop the subscriptions of a node that left.
struct member_change {
  std::string nodename;
  std::optional<member_value> before;  // nullopt: unknown until now
  std::optional<member_value> after;   // nullopt: only after a (malformed) tombstone
  bool operator==(const member_change&) const = default;
};

// Conversions between the `members` message form and the map's entries.
metadata_entry to_metadata_entry(const member_entry& e);
// REQUIRES: `e` is a live entry of the membership map that passed `check_entry`.
member_entry to_member_entry(const metadata_entry& e);

class membership {
 public:
  explicit membership(std::string self, std::uint64_t max_drift_ms = k_default_max_drift_ms);

  // Writes `nodename` as joined at `address` (also used when a node rejoins after leaving).
  // Returns the entry to broadcast. REQUIRES: valid name and address.
  member_entry join(const std::string& nodename, const std::string& address, std::uint64_t now_ms);
  // Writes a member as leaving (asked to go; it hands its sessions over), or as left (gone).
  // Fails for a node that is not known.
  core::result<member_entry> leave(const std::string& nodename, std::uint64_t now_ms);
  core::result<member_entry> mark_left(const std::string& nodename, std::uint64_t now_ms);

  // Merges entries from a peer (`members` message, or membership entries of a metadata
  // message). Returns the visible changes. An entry stamped too far in the future fails the
  // call; the entries before it are merged.
  core::result<std::vector<member_change>> merge(const std::vector<member_entry>& entries, std::uint64_t now_ms);
  core::result<std::optional<member_change>> apply(const metadata_entry& e, std::uint64_t now_ms);

  // Every known node, left ones included, with stamps: the `members` message to send.
  std::vector<member_entry> entries() const;
  std::optional<member> find(const std::string& nodename) const;
  // Nodes in state joined or leaving (a leaving node still serves and hands over sessions).
  std::vector<member> members() const;
  bool is_member(const std::string& nodename) const;
  // The links to keep open: every member except ourselves.
  std::vector<member> peers_to_connect() const;

  const std::string& self() const { return self_; }
  const metadata_map& map() const { return map_; }

 private:
  core::result<member_entry> set_state(const std::string& nodename, member_state state, std::uint64_t now_ms);

  std::string self_;
  metadata_map map_;
};

}  // namespace ternmq::cluster
