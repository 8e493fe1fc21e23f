// Persistence of the member list in the node's key-value store (the message store's LevelDB),
// so that a restarted node knows its peers and reconnects to them by itself.
//
//   key   "cluster/members/" + nodename
//   value the payload of a `members` message holding that one entry (docs/clustering.md), so
//         the stamp survives and a reloaded list merges like a received one
//
// Every write rewrites the whole list in one batch: lists are small, and a batch is atomic.
// Thread safety is the kv store's (any thread).
#pragma once

#include <vector>

#include "broker/cluster/messages.hpp"
#include "core/base/result.hpp"
#include "core/base/status.hpp"
#include "core/kv/kv_store.hpp"

namespace ternmq::cluster_net {

inline constexpr std::string_view k_members_key_prefix = "cluster/members/";

class membership_store {
 public:
  explicit membership_store(core::kv::kv_store& kv) : kv_(kv) {}

  // The stored entries; a value that does not decode fails the load (a corrupt store is not
  // silently forgotten: the node would otherwise start as a cluster of one).
  core::result<std::vector<cluster::member_entry>> load() const;
  // Replaces the stored list with `entries`.
  core::status save(const std::vector<cluster::member_entry>& entries);

 private:
  core::kv::kv_store& kv_;
};

}  // namespace ternmq::cluster_net
