// health_policy: counting health check failures after the grace period.
#include "scheduler/local/health_policy.hpp"

#include <algorithm>

namespace ternmq::scheduler::local {

health_policy::health_policy(std::chrono::seconds grace_period, std::uint32_t max_consecutive_failures,
                             clock::time_point task_started)
    : grace_end_(task_started + grace_period), max_failures_(std::max<std::uint32_t>(max_consecutive_failures, 1)) {}

health_verdict health_policy::record(const check_result& result) {
  health_verdict verdict;
  const std::optional<bool> before = healthy_;
  if (result.passed) {
    passed_once_ = true;
    consecutive_failures_ = 0;
    healthy_ = true;
  } else if (passed_once_ || result.started_at >= grace_end_) {
    ++consecutive_failures_;
    healthy_ = false;
    if (consecutive_failures_ >= max_failures_) {
      verdict.kill = true;
      verdict.message = "health check failed " + std::to_string(consecutive_failures_) + " times: " + result.reason;
    }
  }
  verdict.healthy_changed = healthy_ != before;
  return verdict;
}

}  // namespace ternmq::scheduler::local
