// local_backend::launch: the refusals, then the sandbox (directory, volumes, fetched URIs) and the
// runner that starts the task. Kept apart from the rest of the backend because it is the one part
// that turns a request into files and processes.
#include <algorithm>
#include <system_error>

#include "core/base/log.hpp"
#include "scheduler/local/fetcher.hpp"
#include "scheduler/local/local_backend.hpp"
#include "scheduler/local/port_availability.hpp"
#include "scheduler/local/task_environment.hpp"

namespace ternmq::scheduler::local {

namespace {

std::string describe(const model::resources& r) {
  return "cpus " + std::to_string(r.cpus) + ", mem " + std::to_string(r.memory_mb) + " MB, disk " +
         std::to_string(r.disk_mb) + " MB";
}

}  // namespace

core::status local_backend::launch(const backend::offer& on, const backend::launch_request& request) {
  const local_agent* agent = find_agent(on.agent_id);
  if (agent == nullptr) return core::status::failure("unknown agent '" + on.agent_id + "'");
  if (auto allowed = check_launch(*agent, request); !allowed) {
    TERNMQ_LOG(warning) << "local backend: launch of " << request.task_id << " refused: " << allowed.message();
    return allowed;
  }
  used_task_ids_.insert(request.task_id);
  tasks_[request.task_id] = prepare(*agent, request);
  return core::status::success();
}

core::status local_backend::check_launch(const local_agent& agent, const backend::launch_request& request) const {
  if (!is_safe_name(request.task_id)) return core::status::failure("invalid task id '" + request.task_id + "'");
  // Ids launched before a restart are known by their checkpoints (while the task lives) and their
  // sandboxes (kept afterwards).
  bool used = used_task_ids_.contains(request.task_id) || checkpoints_.contains(request.task_id);
  for (const auto& any_agent : agents_) {
    std::error_code ec;
    used = used || std::filesystem::exists(layout_.sandbox(any_agent.id, request.task_id), ec);
  }
  if (used) return core::status::failure("task id '" + request.task_id + "' was already used");
  const model::resources free = free_resources(agent.id);
  if (!model::covers(free, request.resources)) {
    return core::status::failure("agent " + agent.id + " has not the resources: the task needs " +
                                 describe(request.resources) + ", the agent has " + describe(free) + " free");
  }
  for (const auto& volume : request.volumes) {
    for (const auto& [id, runner] : tasks_) {
      const auto& volumes = runner->task().volume_ids;
      if (runner->holds_resources() && runner->task().agent_id == agent.id &&
          std::find(volumes.begin(), volumes.end(), volume.id) != volumes.end()) {
        return core::status::failure("volume " + volume.id + " is in use by task " + id);
      }
    }
  }
  return check_ports(request);
}

core::status local_backend::check_ports(const backend::launch_request& request) const {
  const auto in_use = ports_in_use();
  std::set<std::uint16_t> requested;
  for (const auto& [name, port] : request.ports) {
    const std::string which = "port " + std::to_string(port) + " (" + name + ")";
    if (port < options_.port_range.begin || port > options_.port_range.end) {
      return core::status::failure(which + " is outside the agent's range " +
                                   std::to_string(options_.port_range.begin) + "-" +
                                   std::to_string(options_.port_range.end));
    }
    if (!requested.insert(port).second) return core::status::failure(which + " is asked for twice");
    if (auto user = in_use.find(port); user != in_use.end()) {
      return core::status::failure(which + " is in use by task " + user->second);
    }
    if (!can_bind(options_.ip, port)) {
      return core::status::failure(which + " cannot be bound on " + options_.ip + ": another process holds it");
    }
  }
  return core::status::success();
}

std::unique_ptr<task_runner> local_backend::prepare(const local_agent& agent, const backend::launch_request& request) {
  task_checkpoint task;
  task.task_id = request.task_id;
  task.task_name = request.task_name;
  task.agent_id = agent.id;
  task.ip = options_.ip;
  task.sandbox = layout_.sandbox(agent.id, request.task_id).string();
  task.resources = request.resources;
  task.ports = request.ports;
  for (const auto& volume : request.volumes) task.volume_ids.push_back(volume.id);
  task.env = task_environment(request.env, {task.task_id, agent.id, task.sandbox, options_.ip}, task_path_);
  task.readiness_check = request.readiness_check;
  task.health_check = request.health_check;
  task.kill_grace_period = request.kill_grace_period;

  auto rlimits = resolve_rlimits(request.rlimits);
  if (!rlimits) {
    return task_runner::ended(std::move(task), state::task_state::error, "invalid launch: " + rlimits.err().message,
                              checkpoints_, clock_);
  }
  auto failed = [&](std::string reason) {
    return task_runner::ended(std::move(task), state::task_state::failed, std::move(reason), checkpoints_, clock_);
  };
  if (auto created = create_sandbox(task.sandbox); !created) return failed(created.message());
  if (auto linked = link_volumes(task.sandbox, layout_, agent.id, request.volumes); !linked) {
    return failed(linked.message());
  }
  auto archives = fetch_into(request.uris, task.sandbox);
  if (!archives) return failed(archives.err().message);

  TERNMQ_LOG(info) << "local backend: launching " << task.task_id << " on " << agent.id;
  pending_launch launch{request.cmd, request.files, {archives->begin(), archives->end()}, std::move(*rlimits)};
  return task_runner::launching(std::move(task), std::move(launch), checkpoints_, clock_);
}

}  // namespace ternmq::scheduler::local
