// Turns "launch task T of pod instance P with these ports on that agent" into the backend's
// launch request, as the SDK's PodInfoBuilder builds a TaskInfo: the task environment (svc.yml
// `env`, routed TASKCFG_* values, every port's env-key, and the variables the SDK injects:
// TASK_NAME, <TASK_NAME>=true, POD_INSTANCE_INDEX, FRAMEWORK_NAME, FRAMEWORK_HOST,
// FRAMEWORK_VIP_HOST, SCHEDULER_API_HOSTNAME, SCHEDULER_API_PORT), the `configs` templates
// rendered with that environment (what the SDK's bootstrap does inside the task), the pod's
// volumes, URIs, rlimits and checks. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/base/result.hpp"
#include "scheduler/backend/task_backend.hpp"
#include "scheduler/model/service_spec.hpp"

namespace ternmq::scheduler::runtime {

struct launch_context {
  const model::service_spec* spec = nullptr;
  const model::pod_spec* pod = nullptr;
  const model::task_spec* task = nullptr;
  std::uint32_t index = 0;
  std::string task_id;
  std::map<std::string, std::uint16_t> ports;  // every port of the task, chosen from the offer
  std::string volume_id;                      // the pod instance's persistent volume reservation
  std::string scheduler_api_host = "127.0.0.1";
  std::uint16_t scheduler_api_port = 0;
};

// The task's environment (without what the agent adds: MESOS_SANDBOX and the like).
std::map<std::string, std::string> task_environment(const launch_context& context);

// The whole request. Fails when a config template does not render (its error names the config).
core::result<backend::launch_request> build_launch_request(const launch_context& context);

}  // namespace ternmq::scheduler::runtime
