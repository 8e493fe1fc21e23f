// What the HTTP API needs from the running scheduler, and nothing more: read access to the
// plans, the persisted state and the target spec, and the pod commands. The runtime
// (scheduler/runtime) implements it; API tests implement it with plain values. Every call runs on
// the scheduler's event loop (the HTTP server shares its io_context), so no locking is involved.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "scheduler/model/service_spec.hpp"
#include "scheduler/plan/plan_manager.hpp"
#include "scheduler/state/state_store.hpp"

namespace ternmq::scheduler::api {

// What `POST /v1/pod/{pod}/restart|replace` did: the pod instance and the tasks it killed.
struct pod_command_result {
  std::string pod;                  // "node-0"
  std::vector<std::string> tasks;   // {"node-0-broker"}
};

enum class pod_command_errc { unknown_pod = 1, refused = 2 };

class scheduler_operations {
 public:
  virtual ~scheduler_operations() = default;

  virtual plans::plan_manager& plans() = 0;
  virtual const state::state_store& store() const = 0;
  // The spec of the target configuration, with its id.
  virtual const model::service_spec& target_spec() const = 0;
  virtual const std::string& target_config_id() const = 0;
  // The DC/OS service name domain parts come from `target_spec().name`.

  // Kills the pod instance's tasks and relaunches them in place (same agent, ports and volume).
  // Error code `pod_command_errc::unknown_pod` for a name that is not a pod instance.
  virtual core::result<pod_command_result> restart_pod(std::string_view pod_instance) = 0;
  // Marks the pod instance's tasks permanently failed, kills them, and relaunches from scratch
  // (new volume, any agent that fits, new dynamic ports).
  virtual core::result<pod_command_result> replace_pod(std::string_view pod_instance) = 0;
};

}  // namespace ternmq::scheduler::api
