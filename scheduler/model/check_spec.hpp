// Health and readiness checks of a task: shell commands run in the task's environment by Mesos.
// Health failures kill the task; readiness gates the rollout (a step completes only once the
// readiness check has passed). Value types; durations in whole seconds, as in svc.yml.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace ternmq::scheduler::model {

// Mesos HealthCheck of type COMMAND.
struct health_check_spec {
  std::string cmd;
  std::chrono::seconds interval{0};
  std::chrono::seconds delay{0};
  std::chrono::seconds timeout{0};
  std::chrono::seconds grace_period{0};
  std::uint32_t max_consecutive_failures = 0;
  friend bool operator==(const health_check_spec&, const health_check_spec&) = default;
};

// Mesos CheckInfo of type COMMAND (`TaskInfo.check`).
struct readiness_check_spec {
  std::string cmd;
  std::chrono::seconds interval{0};
  std::chrono::seconds delay{0};
  std::chrono::seconds timeout{0};
  friend bool operator==(const readiness_check_spec&, const readiness_check_spec&) = default;
};

}  // namespace ternmq::scheduler::model
