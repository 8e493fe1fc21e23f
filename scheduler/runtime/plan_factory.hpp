// Builds the runtime plans from the target spec and what the tasks run now (SDK
// `DefaultPlanGenerator` + `DeploymentStep` initial status): `deploy` / `update` from the svc.yml
// plans, and `recovery`, one phase per pod instance being relaunched. A step starts COMPLETE when
// its pod instance already runs the target configuration and is ready, so a restarted scheduler
// or a config change that leaves a pod alone does not touch it. Pure; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "scheduler/model/plan_spec.hpp"
#include "scheduler/model/service_spec.hpp"
#include "scheduler/plan/plan.hpp"

namespace ternmq::scheduler::runtime {

// True when pod instance "node-0" runs the target configuration and is ready.
using pod_is_current = std::function<bool(const std::string& pod_instance)>;

// One plan of `spec.plans`, its steps named as the SDK names them ("node-0:[broker]"). Instances
// are 0..count-1 of the phase's pod; each gets one step per task group of the phase (or one step
// with all of the pod's RUNNING tasks when the phase lists no steps).
plans::plan build_plan(const model::plan_spec& plan_spec, const model::service_spec& spec, const pod_is_current& current);

// The plan served as `deploy`: svc.yml's `update` (renamed) once a deployment has completed and the
// spec has one, else its `deploy`; a spec without a `deploy` plan gets a serial default over every
// pod type, as the SDK does.
plans::plan build_deploy_plan(const model::service_spec& spec, const pod_is_current& current, bool deployment_completed);

// A pod instance to relaunch: in place (`permanent` false: same agent, ports and volume) or from
// scratch (`pod replace`).
struct recovery_request {
  std::string pod_instance;      // "node-0"
  std::vector<std::string> tasks;  // svc.yml task names, {"broker"}
  bool permanent = false;
};

// `recovery`: one serial phase per request, named after the pod instance, one step each.
plans::plan build_recovery_plan(const std::vector<recovery_request>& requests);

// The svc.yml task names a step launches, from its SDK-style name: "node-0:[broker, init]" ->
// {"broker", "init"}; empty for a name without a task list.
std::vector<std::string> tasks_of_step(const std::string& step_name);

}  // namespace ternmq::scheduler::runtime
