#include "scheduler/runtime/launch_backoff.hpp"

#include <algorithm>

namespace ternmq::scheduler::runtime {

void launch_backoff::on_failure(const std::string& pod, clock::time_point now) {
  delay& d = delays_[pod];
  if (d.current.count() == 0) {
    d.current = settings_.initial;
  } else {
    auto grown = std::chrono::milliseconds(static_cast<long long>(static_cast<double>(d.current.count()) * settings_.factor));
    d.current = std::min(grown, settings_.max);
  }
  d.until = now + d.current;
}

bool launch_backoff::delayed(const std::string& pod, clock::time_point now) const {
  auto it = delays_.find(pod);
  return it != delays_.end() && now < it->second.until;
}

}  // namespace ternmq::scheduler::runtime
