// Which pod instances the service has and which task records belong to each (the SDK's
// `GroupedTasks`), the base of every /v1/pod answer. Instances come from two places: the target
// spec (every index 0..count-1 of every pod type, so a pod that has not launched yet is listed with
// no tasks) and the task records (so a pod being decommissioned, or of a type the target no
// longer has, stays visible while its tasks exist). Records without a pod type cannot be placed and
// are kept apart as the SDK's "unknown pod" tasks. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/model/service_spec.hpp"
#include "scheduler/state/task_record.hpp"

namespace ternmq::scheduler::api {

inline constexpr std::string_view k_unknown_pod = "UNKNOWN_POD";

struct pod_instance_tasks {
  std::string type;   // "node"
  std::uint32_t index = 0;
  std::string name;   // "node-0"
  std::vector<state::task_record> tasks;  // in the order the pod spec lists its tasks, then by name
};

struct grouped_pods {
  std::vector<pod_instance_tasks> instances;  // by type name, then index (numerically)
  std::vector<state::task_record> unknown;    // records without a pod type, by task name
};

grouped_pods group_tasks(const model::service_spec& target, std::vector<state::task_record> records);

// The instance named `pod_instance` ("node-0"), or null.
const pod_instance_tasks* find_instance(const grouped_pods& pods, std::string_view pod_instance);

}  // namespace ternmq::scheduler::api
