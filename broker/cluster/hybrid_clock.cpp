// The hybrid logical clock's update rules; see hybrid_clock.hpp.
#include "broker/cluster/hybrid_clock.hpp"

#include <algorithm>
#include <limits>

#include "broker/cluster/error.hpp"

namespace ternmq::cluster {

std::string to_string(const hlc_timestamp& t) {
  return std::to_string(t.physical_ms) + "." + std::to_string(t.counter) + "@" + t.node;
}

// The counter only grows within one millisecond. Were it to wrap (four billion events in one
// millisecond), the clock steps one millisecond ahead instead, which keeps the order strict.
void hybrid_clock::bump_counter(std::uint32_t from) {
  if (from == std::numeric_limits<std::uint32_t>::max()) {
    ++physical_;
    counter_ = 0;
  } else {
    counter_ = from + 1;
  }
}

hlc_timestamp hybrid_clock::tick(std::uint64_t now_ms) {
  if (now_ms > physical_) {
    physical_ = now_ms;
    counter_ = 0;
  } else {
    bump_counter(counter_);
  }
  return last();
}

core::result<hlc_timestamp> hybrid_clock::observe(const hlc_timestamp& remote, std::uint64_t now_ms) {
  if (remote.physical_ms > now_ms && remote.physical_ms - now_ms > max_drift_ms_) {
    return make_error(errc::clock_drift, "timestamp " + to_string(remote) + " is " +
                                             std::to_string(remote.physical_ms - now_ms) +
                                             " ms ahead of our clock");
  }
  const std::uint64_t next = std::max({physical_, remote.physical_ms, now_ms});
  if (next == physical_ && next == remote.physical_ms) {
    bump_counter(std::max(counter_, remote.counter));
  } else if (next == physical_) {
    bump_counter(counter_);
  } else if (next == remote.physical_ms) {
    physical_ = next;
    bump_counter(remote.counter);
  } else {
    physical_ = next;
    counter_ = 0;
  }
  return last();
}

}  // namespace ternmq::cluster
