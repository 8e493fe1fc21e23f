// One entry of a replicated metadata map: a key, the hybrid-clock timestamp of the write that
// produced it, and a value or a tombstone. Entries are what nodes exchange (`metadata_sync`,
// `metadata_delta`) and what `metadata_map::apply` merges.
//
// Keys and values are bytes here; `metadata_types.hpp` gives them meaning per map. The key
// names its owner (the node whose state the entry describes, or "" for cluster-wide state) as
// a separate part, so a map can list, and drop, everything a departed node owned.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

#include "broker/cluster/hybrid_clock.hpp"

namespace ternmq::cluster {

// The replicated maps. The numbers are on the wire.
enum class map_id : std::uint8_t {
  membership = 1,     // nodename -> cluster address and state
  subscriptions = 2,  // node + mountpoint + client id + filter -> subscription options
  retained = 3,       // mountpoint + topic -> retained message
};

const char* to_string(map_id id);
bool is_known_map(std::uint8_t id);

struct metadata_key {
  std::string owner;  // node whose state this is; "" for cluster-wide entries
  std::string name;   // the rest of the key, encoded by metadata_types

  auto operator<=>(const metadata_key&) const = default;
  bool operator==(const metadata_key&) const = default;
};

struct metadata_entry {
  metadata_key key;
  hlc_timestamp stamp;
  std::optional<std::string> value;  // nullopt: a tombstone (the key was erased)

  bool tombstone() const { return !value.has_value(); }
  bool operator==(const metadata_entry&) const = default;
};

// True when `a` replaces `b` (same key). The later timestamp wins. Equal timestamps only
// occur if a node reissued one (a bug or a restarted node with a clock set back); the tie is
// then broken by content so that every replica still picks the same winner and merging stays
// commutative: a tombstone beats a value (a stale subscription coming back would be worse than
// one lost), and between two values the bytewise greater wins.
bool supersedes(const metadata_entry& a, const metadata_entry& b);

}  // namespace ternmq::cluster
