// Builds pod plans the way the SDK's default deploy plan is shaped (SDK `DeployPlanFactory`,
// `DefaultStepFactory`): one step per pod instance, named "<pod>-<index>:[<task>, ...]", e.g.
// "broker-0:[node]" for task `node` of the first `broker` pod. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "scheduler/plan/phase.hpp"
#include "scheduler/plan/plan.hpp"
#include "scheduler/plan/status.hpp"
#include "scheduler/plan/strategy.hpp"

namespace ternmq::scheduler::plans {

// One pod instance for a step to bring up: pod type, index, and the tasks the step launches.
struct pod_instance {
  std::string pod_type;            // "broker"
  std::size_t index = 0;           // 0 for "broker-0"
  std::vector<std::string> tasks;  // {"node"}
  // PENDING (work to do) or COMPLETE (already running the target config, as found at start-up).
  status initial = status::pending;

  // "broker-0": the asset the step works on (SDK `PodInstance.getName`).
  std::string name() const;
};

// "broker-0:[node]", "broker-0:[init, node]" (Java's list formatting, as the SDK prints it).
std::string step_name(const pod_instance& pod);

// Instances 0..count-1 of `pod_type`, each launching `tasks`.
std::vector<pod_instance> pod_instances(const std::string& pod_type, std::size_t count,
                                        const std::vector<std::string>& tasks);

// One phase with a step per instance, in the given order.
phase build_pod_phase(std::string phase_name, strategy phase_strategy, const std::vector<pod_instance>& pods);

// A plan of that one phase. Throws std::invalid_argument for empty names, for two instances giving
// the same step name, or for an `initial` other than PENDING or COMPLETE.
plan build_pod_plan(std::string plan_name, std::string phase_name, strategy phase_strategy,
                    const std::vector<pod_instance>& pods);

}  // namespace ternmq::scheduler::plans
