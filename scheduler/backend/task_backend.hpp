// The seam between the scheduler and whatever runs tasks: the local backend (processes on this
// machine, one simulated agent per --agents) now, the Mesos backend (v1 scheduler API) later. The
// scheduler decides *what* to launch and *where* (it evaluates `offers()` itself, see
// scheduler/offer); the backend only carries it out and reports what happens to each task.
//
// Everything is driven from the scheduler's event loop: no call blocks for long, no callback runs
// on another thread; status updates are collected with `poll()`.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/status.hpp"
#include "scheduler/backend/offer.hpp"
#include "scheduler/model/check_spec.hpp"
#include "scheduler/model/pod_spec.hpp"
#include "scheduler/model/resources.hpp"
#include "scheduler/state/task_record.hpp"

namespace ternmq::scheduler::backend {

// A file written into the sandbox before the command runs (a rendered `configs:` template).
struct sandbox_file {
  std::string path;  // relative to the sandbox
  std::string content;
  friend bool operator==(const sandbox_file&, const sandbox_file&) = default;
};

// A persistent volume: created empty on first use on the agent, kept across launches that name
// the same `id`, reachable from the sandbox at `container_path`; gone only by `destroy_volume`.
struct volume_request {
  std::string id;              // reservation id, stable for the life of the pod instance
  std::string container_path;  // "ternmq-data"
  std::uint32_t size_mb = 0;
  std::string type = "ROOT";   // ROOT or MOUNT
  friend bool operator==(const volume_request&, const volume_request&) = default;
};

struct launch_request {
  std::string task_id;    // unique per launch: "node-0-broker__<uuid>"
  std::string task_name;  // "node-0-broker"
  std::string cmd;        // run by /bin/sh -c in the sandbox (Mesos CommandInfo shell)
  // The whole task environment as the scheduler builds it (spec env, port env-keys, TASK_NAME,
  // POD_INSTANCE_INDEX, FRAMEWORK_*...). The backend adds what an agent adds: MESOS_SANDBOX,
  // MESOS_TASK_ID, MESOS_CONTAINER_IP, and whatever the runtime needs (PATH, HOME).
  std::map<std::string, std::string> env;
  std::vector<std::string> uris;  // fetched into the sandbox (file paths or file:// URIs locally)
  std::vector<sandbox_file> files;
  std::vector<volume_request> volumes;
  model::resources resources;
  std::map<std::string, std::uint16_t> ports;  // name -> host port, chosen from the offer
  std::vector<model::rlimit_spec> rlimits;
  // Run by /bin/sh -c in the sandbox with the task's environment. Readiness: the first exit 0
  // sets `task_status::ready`. Health: after `grace_period`, `max_consecutive_failures` failures in
  // a row kill the task (TASK_FAILED, "health check failed ...").
  std::optional<model::readiness_check_spec> readiness_check;
  std::optional<model::health_check_spec> health_check;
  std::chrono::seconds kill_grace_period{5};  // SIGTERM, then SIGKILL after this
  friend bool operator==(const launch_request&, const launch_request&) = default;
};

struct task_status {
  std::string task_id;
  std::string task_name;
  state::task_state state = state::task_state::staging;
  std::string message;           // why: "exited with status 1", "health check failed 3 times", ...
  std::optional<bool> ready;     // set once the readiness check has passed (or at RUNNING without one)
  std::optional<bool> healthy;   // last health check result
  std::string agent_id;
  std::string ip;
  friend bool operator==(const task_status&, const task_status&) = default;
};

class task_backend {
 public:
  virtual ~task_backend() = default;

  // Resources free now, one offer per agent (the local backend's "agents" are simulated; all
  // share 127.0.0.1).
  virtual std::vector<offer> offers() = 0;
  // Starts `request` on the agent of `on`, using the ports and resources the scheduler chose
  // from it. Errors are immediate refusals (unknown agent, port no longer free); anything that
  // goes wrong later arrives as a status through `poll()`.
  virtual core::status launch(const offer& on, const launch_request& request) = 0;
  // Kills a task gracefully (SIGTERM, SIGKILL after its grace period); TASK_KILLED follows.
  // Unknown ids are ignored.
  virtual void kill(const std::string& task_id) = 0;
  // Removes a persistent volume and its data (pod replace, decommission).
  virtual void destroy_volume(const std::string& agent_id, const std::string& volume_id) = 0;

  // The current status of every task the backend knows, including tasks it re-attached to after
  // a scheduler restart (Mesos reconciliation). A task id the scheduler knows but the backend
  // does not appear here is to be considered TASK_LOST.
  virtual std::vector<task_status> reconcile() = 0;
  // Status updates since the last call, in order.
  virtual std::vector<task_status> poll() = 0;
};

}  // namespace ternmq::scheduler::backend
