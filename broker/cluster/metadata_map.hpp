// An eventually consistent replicated map (a last-writer-wins register per key). Every node
// holds a full replica of each map (subscriptions, retained messages, membership) and serves
// reads from it, so a node that cannot reach a peer still routes with what it knows.
//
// Local writes (`put`, `erase`) return the entry to broadcast; entries from peers go through
// `apply`. Merging keeps, per key, the entry that `supersedes` all others, which is a
// join-semilattice: `apply` is idempotent, commutative and associative, so replicas that
// received the same set of entries, in any order and with duplicates, hold the same state.
//
// Deletes are tombstones, kept until `purge_tombstones` finds them older than the age the
// caller passes. That age must exceed the longest time a member can be away and still come
// back with its old entries (see docs/clustering.md, "Tombstones").
//
// A value type of the pure cluster core: no I/O, time passed in. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "broker/cluster/hybrid_clock.hpp"
#include "broker/cluster/metadata_entry.hpp"
#include "core/base/result.hpp"

namespace ternmq::cluster {

// What a merge changed in the visible contents of the map (nullopt: absent or erased), for the
// broker to update its subscription trie or retained store.
struct metadata_change {
  metadata_key key;
  std::optional<std::string> before;
  std::optional<std::string> after;
  bool operator==(const metadata_change&) const = default;
};

class metadata_map {
 public:
  // `self` names the writes of this replica. Remote entries more than `max_drift_ms` ahead of
  // `now_ms` are refused (see hybrid_clock).
  explicit metadata_map(std::string self, std::uint64_t max_drift_ms = k_default_max_drift_ms)
      : clock_(std::move(self), max_drift_ms) {}

  // Local writes. Each returns the entry to broadcast; it is already applied here and wins over
  // everything this replica has seen.
  metadata_entry put(metadata_key key, std::string value, std::uint64_t now_ms);
  metadata_entry erase(metadata_key key, std::uint64_t now_ms);
  // Erases every live entry owned by `owner` (a node that left for good), returning the
  // tombstones to broadcast.
  std::vector<metadata_entry> erase_owner(const std::string& owner, std::uint64_t now_ms);

  // Merges a remote entry. Returns the visible change, or nullopt when the entry lost (older or
  // a duplicate) or changed only the timestamp. Fails with `clock_drift` for an entry stamped
  // too far in the future; nothing changes then.
  core::result<std::optional<metadata_change>> apply(const metadata_entry& e, std::uint64_t now_ms);

  // The live value of `key`, or nullopt when absent or erased.
  std::optional<std::string> get(const metadata_key& key) const;
  // The stored entry (tombstones included), or null.
  const metadata_entry* find(const metadata_key& key) const;

  // Every entry, tombstones included, in key order: the full state for a sync.
  std::vector<metadata_entry> snapshot() const;
  // Entries (tombstones included) stamped after `since`. Complete for this node's own writes
  // after `since`, whose stamps only grow; other writers' entries are included when their
  // stamps are later but may have arrived out of stamp order, which is why a link that comes
  // up without a known watermark syncs the full snapshot.
  std::vector<metadata_entry> entries_since(const hlc_timestamp& since) const;
  // Live entries owned by `owner`, in key order.
  std::vector<metadata_entry> entries_of(const std::string& owner) const;

  // Drops tombstones whose write is at least `max_age_ms` older than `now_ms`. Returns how many.
  std::size_t purge_tombstones(std::uint64_t now_ms, std::uint64_t max_age_ms);

  std::size_t size() const { return live_; }
  std::size_t tombstones() const { return entries_.size() - live_; }
  const hybrid_clock& clock() const { return clock_; }

 private:
  // Stores `e` when it supersedes what is held; returns the visible change, if any.
  std::optional<metadata_change> merge(const metadata_entry& e);

  hybrid_clock clock_;
  std::map<metadata_key, metadata_entry> entries_;
  std::size_t live_ = 0;
};

}  // namespace ternmq::cluster
