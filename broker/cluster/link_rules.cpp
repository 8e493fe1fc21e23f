// Duplicate-link rule, redial backoff and ping liveness; see link_rules.hpp.
#include "broker/cluster/link_rules.hpp"

#include <algorithm>

namespace ternmq::cluster {

bool is_preferred_link(std::string_view self, std::string_view peer, bool we_dialled) {
  const bool we_are_smaller = self < peer;
  return we_dialled == we_are_smaller;
}

std::chrono::milliseconds redial_backoff::next_delay() {
  const auto delay = next_;
  next_ = std::min(next_ * 2, std::chrono::milliseconds(k_max_redial_delay));
  return delay;
}

std::optional<std::uint64_t> link_liveness::tick() {
  if (unanswered() >= k_max_missed_pongs) return std::nullopt;
  return ++sent_;
}

void link_liveness::on_pong(std::uint64_t seq) {
  if (seq > sent_) return;
  answered_ = std::max(answered_, seq);
}

}  // namespace ternmq::cluster
