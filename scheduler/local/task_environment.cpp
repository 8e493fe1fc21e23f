// The environment of a task: the request's variables and the agent's.
#include "scheduler/local/task_environment.hpp"

#include <cstdlib>

namespace ternmq::scheduler::local {

environment task_environment(const environment& requested, const task_placement& placement, const std::string& path) {
  environment env{{"PATH", path}, {"HOME", placement.sandbox}, {"LANG", "C.UTF-8"}};
  for (const auto& [key, value] : requested) env[key] = value;
  env["MESOS_SANDBOX"] = placement.sandbox;
  env["MESOS_TASK_ID"] = placement.task_id;
  env["MESOS_AGENT_ID"] = placement.agent_id;
  env["MESOS_CONTAINER_IP"] = placement.ip;
  return env;
}

std::string default_task_path() {
  const char* path = std::getenv("PATH");
  if (path != nullptr && *path != '\0') return path;
  return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

}  // namespace ternmq::scheduler::local
