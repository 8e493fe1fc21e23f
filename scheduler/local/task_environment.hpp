// The environment of a task and of its checks: exactly what the scheduler asked for plus what a
// Mesos agent adds. Nothing else of the scheduler's own environment reaches the task, so a task
// behaves the same under the local backend as on a DC/OS agent, and a variable the scheduler
// happens to have (credentials, a developer's shell settings) cannot change what a broker does.
#pragma once

#include <map>
#include <string>

namespace ternmq::scheduler::local {

using environment = std::map<std::string, std::string>;

// Where a task runs, as the agent describes it to the task.
struct task_placement {
  std::string task_id;
  std::string agent_id;
  std::string sandbox;  // absolute
  std::string ip;
};

// `requested` plus MESOS_SANDBOX, MESOS_TASK_ID, MESOS_AGENT_ID and MESOS_CONTAINER_IP (which
// always win: they are facts about this launch), and PATH, HOME (the sandbox) and LANG
// (C.UTF-8), which the request may override. `path` is the PATH to give when the request has none.
environment task_environment(const environment& requested, const task_placement& placement, const std::string& path);

// The PATH tasks get by default: the scheduler's own PATH, or the usual system directories when
// it has none.
std::string default_task_path();

}  // namespace ternmq::scheduler::local
