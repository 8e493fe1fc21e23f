// Map identifiers and the last-writer-wins order of metadata entries; see metadata_entry.hpp.
#include "broker/cluster/metadata_entry.hpp"

namespace ternmq::cluster {

const char* to_string(map_id id) {
  switch (id) {
    case map_id::membership: return "membership";
    case map_id::subscriptions: return "subscriptions";
    case map_id::retained: return "retained";
  }
  return "unknown";
}

bool is_known_map(std::uint8_t id) { return id >= 1 && id <= 3; }

bool supersedes(const metadata_entry& a, const metadata_entry& b) {
  if (a.stamp != b.stamp) return a.stamp > b.stamp;
  if (a.value == b.value) return false;  // the same write received twice
  if (a.tombstone()) return true;
  if (b.tombstone()) return false;
  return *a.value > *b.value;
}

}  // namespace ternmq::cluster
