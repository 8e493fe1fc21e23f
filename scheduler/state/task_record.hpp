// What the scheduler remembers about one task between launches and across its own restarts (the
// SDK's `/Tasks/<name>/{TaskInfo,TaskStatus}` in ZooKeeper): which launch of the task is current,
// the configuration it runs, where it runs, the host ports and volume reserved for it, and the
// last status the backend reported. A value type with a JSON form for the state store.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/base/result.hpp"

namespace ternmq::scheduler::state {

// Mesos TaskState, the subset a backend reports.
enum class task_state {
  staging,   // TASK_STAGING: launch accepted, process not started yet
  starting,  // TASK_STARTING: sandbox prepared, command starting
  running,   // TASK_RUNNING
  finished,  // TASK_FINISHED: exited 0
  failed,    // TASK_FAILED: exited non-zero, or failed to launch, or killed by its health check
  killed,    // TASK_KILLED: killed on request
  lost,      // TASK_LOST: the backend no longer knows it (e.g. gone while the scheduler was away)
  error,     // TASK_ERROR: the launch request was invalid
};

// "TASK_RUNNING", ...
std::string_view to_string(task_state s);
std::optional<task_state> parse_task_state(std::string_view text);
// FINISHED, FAILED, KILLED, LOST, ERROR: the task will not run again under this id.
bool is_terminal(task_state s);

struct task_record {
  std::string task_name;  // "node-0-broker"
  std::string task_id;    // "node-0-broker__<uuid>": one per launch
  std::string pod_type;   // "node"
  std::uint32_t pod_index = 0;
  std::string task;       // the svc.yml task name, "broker"
  std::string config_id;  // target configuration the launch used

  std::string agent_id;  // where it runs; an in-place relaunch goes back there
  std::string hostname;
  std::string ip;
  std::map<std::string, std::uint16_t> ports;  // port name -> host port, kept across in-place relaunches
  std::string volume_id;                       // persistent volume, kept across in-place relaunches

  task_state state = task_state::staging;
  std::string message;         // the backend's reason for the last state change
  bool ready = false;          // readiness check passed since this launch (true at RUNNING without one)
  std::optional<bool> healthy;  // last health check result, unset before the first
  // Set by `pod replace`: the next launch starts from scratch (new volume, any agent, new ports).
  bool permanently_failed = false;

  friend bool operator==(const task_record&, const task_record&) = default;
};

nlohmann::json to_json(const task_record& record);
core::result<task_record> task_record_from_json(const nlohmann::json& json);

}  // namespace ternmq::scheduler::state
