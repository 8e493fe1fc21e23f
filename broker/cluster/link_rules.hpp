// The bookkeeping rules of cluster links, kept pure so they are tested without sockets:
//
// - one link per pair of nodes: both sides may dial each other at the same moment; when two
//   authenticated links to the same peer exist, both nodes keep the one dialled by the
//   lexicographically smaller node name, so they close the same TCP connection;
// - reconnect backoff: the delay before redialling a peer doubles from 0.5 s up to 5 s and
//   starts again from 0.5 s once a link to it came up;
// - liveness: a ping every second; a link that let `k_max_missed_pongs` pings go unanswered is
//   down, even if TCP has not noticed.
//
// Value types; not thread-safe (the cluster service's strand owns them).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ternmq::cluster {

inline constexpr auto k_ping_interval = std::chrono::milliseconds(1000);
inline constexpr int k_max_missed_pongs = 3;
inline constexpr auto k_min_redial_delay = std::chrono::milliseconds(500);
inline constexpr auto k_max_redial_delay = std::chrono::milliseconds(5000);

// Of two authenticated links between `self` and `peer`, the one to keep is the one dialled by
// the smaller of the two names. True when a link dialled by us (`we_dialled`) is that one.
bool is_preferred_link(std::string_view self, std::string_view peer, bool we_dialled);

class redial_backoff {
 public:
  // The delay before the next attempt; each call doubles the following one, up to the maximum.
  std::chrono::milliseconds next_delay();
  // A link came up: the next failure waits the minimum again.
  void reset() { next_ = k_min_redial_delay; }

 private:
  std::chrono::milliseconds next_ = k_min_redial_delay;
};

// Pings of one link. Call `tick` every `k_ping_interval`.
class link_liveness {
 public:
  // The seq of the ping to send now, or nullopt when the peer missed too many pongs: the link
  // is down and must be closed.
  std::optional<std::uint64_t> tick();
  // A pong answers every ping up to its seq; an unknown seq (from the future) is ignored.
  void on_pong(std::uint64_t seq);
  int unanswered() const { return static_cast<int>(sent_ - answered_); }

 private:
  std::uint64_t sent_ = 0;      // seq of the last ping sent (pings are numbered from 1)
  std::uint64_t answered_ = 0;  // highest seq answered
};

}  // namespace ternmq::cluster
