// Exponential launch backoff per pod instance (the SDK's ENABLE_BACKOFF): after a launched task
// fails, the pod waits before its next launch, the wait growing by `factor` with every failure
// in a row up to `max`; a task that reached readiness resets it, and so does an operator's
// restart or replace. The step shows DELAYED meanwhile. Pure apart from the clock it is given.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace ternmq::scheduler::runtime {

class launch_backoff {
 public:
  using clock = std::chrono::steady_clock;
  struct settings {
    std::chrono::milliseconds initial{1000};
    double factor = 2.0;
    std::chrono::milliseconds max{30000};
  };

  launch_backoff() = default;
  explicit launch_backoff(settings s) : settings_(s) {}

  void on_failure(const std::string& pod, clock::time_point now);
  void reset(const std::string& pod) { delays_.erase(pod); }
  // True while `pod` must not launch yet.
  bool delayed(const std::string& pod, clock::time_point now) const;

 private:
  struct delay {
    std::chrono::milliseconds current{0};
    clock::time_point until;
  };
  settings settings_;
  std::map<std::string, delay, std::less<>> delays_;
};

}  // namespace ternmq::scheduler::runtime
