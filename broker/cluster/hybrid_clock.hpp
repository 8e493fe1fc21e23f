// Hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014): timestamps that
// follow wall-clock time closely yet never go backwards on one node and always order a write
// after every write its node had seen. They are the "last writer" order of `metadata_map`.
//
// The clock never reads the time itself: callers pass `now_ms` (milliseconds since the Unix
// epoch, from the injected clock), so tests drive it by hand.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <utility>

#include "core/base/result.hpp"

namespace ternmq::cluster {

// A total order over every write in the cluster: physical time, then the logical counter, then
// the writer's node name, which breaks the last ties (two nodes writing in the same
// millisecond with the same counter).
struct hlc_timestamp {
  std::uint64_t physical_ms = 0;
  std::uint32_t counter = 0;
  std::string node;

  auto operator<=>(const hlc_timestamp&) const = default;
  bool operator==(const hlc_timestamp&) const = default;
};

std::string to_string(const hlc_timestamp& t);

// A remote timestamp further than this ahead of our wall clock is refused: one node with a
// clock set to next year must not win every last-writer-wins race for a year.
inline constexpr std::uint64_t k_default_max_drift_ms = 60'000;

// The clock of one node (or of one replicated map on it). A value type; not thread-safe.
class hybrid_clock {
 public:
  explicit hybrid_clock(std::string node, std::uint64_t max_drift_ms = k_default_max_drift_ms)
      : node_(std::move(node)), max_drift_ms_(max_drift_ms) {}

  // A timestamp for a local event, greater than every timestamp issued or observed before.
  hlc_timestamp tick(std::uint64_t now_ms);
  // Merges a timestamp received from a peer and returns the timestamp of the receive event
  // (greater than both `remote` and everything before). Fails with `clock_drift`, leaving the
  // clock unchanged, when `remote` is more than `max_drift_ms` ahead of `now_ms`.
  core::result<hlc_timestamp> observe(const hlc_timestamp& remote, std::uint64_t now_ms);

  // The latest timestamp issued or observed (all zero with our name before the first event).
  hlc_timestamp last() const { return hlc_timestamp{physical_, counter_, node_}; }
  const std::string& node() const { return node_; }

 private:
  void bump_counter(std::uint32_t from);

  std::string node_;
  std::uint64_t max_drift_ms_;
  std::uint64_t physical_ = 0;
  std::uint32_t counter_ = 0;
};

}  // namespace ternmq::cluster
