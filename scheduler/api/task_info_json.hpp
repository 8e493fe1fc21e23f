// The `info` and `status` halves of `GET /v1/pod/<pod>/info`: Mesos `TaskInfo` and `TaskStatus`
// shaped JSON (field names as in mesos.proto's JSON form: `task_id: {value}`, `agent_id: {value}`,
// `command: {value, environment: {variables: [{name, value}]}}`, `discovery.ports.ports[]`, ...),
// rebuilt from what the scheduler persists: the task record and the spec of the configuration the
// task was launched with. The SDK serves the stored protobufs; this scheduler stores less, so these
// are reconstructions with the same shape, enough for operators and tools reading names, ports,
// VIP labels, environment and state. Not included: what only the agent adds (MESOS_SANDBOX, ...).
// Pure; thread-safe.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "scheduler/model/service_spec.hpp"
#include "scheduler/state/task_record.hpp"

namespace ternmq::scheduler::api {

// `spec` is the service spec of `record.config_id` (the target's when that one is gone). A record
// whose pod or task the spec does not know gets the fields the record alone gives.
nlohmann::json task_info_json(const state::task_record& record, const model::service_spec& spec);

// The last status: state ("TASK_RUNNING"), message, health, the task's IP as container network
// info, and, when the task has a readiness check, its result as `check_status` (exit code 0 once
// it has passed, as the SDK's readiness test reads it).
nlohmann::json task_status_json(const state::task_record& record, const model::service_spec& spec);

// The environment the scheduler gives the task (SDK `PodInfoBuilder.getTaskEnvironment`): the spec's
// `env` (with `TASKCFG_*` routed in), each port's `env-key`, TASK_NAME, <TASK_NAME>=true,
// POD_INSTANCE_INDEX, FRAMEWORK_NAME, FRAMEWORK_HOST and FRAMEWORK_VIP_HOST.
std::map<std::string, std::string> task_environment(const state::task_record& record, const model::task_spec& task,
                                                    const model::service_spec& spec);

}  // namespace ternmq::scheduler::api
