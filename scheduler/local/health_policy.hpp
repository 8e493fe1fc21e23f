// What a task's health check results mean (Mesos health checking): failures of checks started
// during the grace period after the task started do not count, unless a check has already passed
// (a first success ends the grace period early); `max_consecutive_failures` counted failures in
// a row mean the task must be killed. Pure: fed results, returns verdicts.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "scheduler/local/check_runner.hpp"
#include "scheduler/local/clock.hpp"

namespace ternmq::scheduler::local {

struct health_verdict {
  bool healthy_changed = false;  // `healthy()` differs from before this result
  bool kill = false;             // the task has failed its health check
  std::string message;           // with `kill`: "health check failed 3 times: <last reason>"
};

class health_policy {
 public:
  // `max_consecutive_failures` 0 is taken as 1.
  health_policy(std::chrono::seconds grace_period, std::uint32_t max_consecutive_failures,
                clock::time_point task_started);

  health_verdict record(const check_result& result);

  // Unset until a result counts; then the last counted result.
  std::optional<bool> healthy() const { return healthy_; }
  std::uint32_t consecutive_failures() const { return consecutive_failures_; }

 private:
  clock::time_point grace_end_;
  std::uint32_t max_failures_;
  bool passed_once_ = false;
  std::uint32_t consecutive_failures_ = 0;
  std::optional<bool> healthy_;
};

}  // namespace ternmq::scheduler::local
