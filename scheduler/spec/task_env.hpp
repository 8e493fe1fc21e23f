// Routing of scheduler environment variables into task environments, as dcos-commons'
// TaskEnvRouter does: `TASKCFG_ALL_<KEY>=v` sets `KEY=v` in every task, and
// `TASKCFG_<POD>_<KEY>=v` sets it in the tasks of pod type POD only, where POD is the pod type
// upper-cased with every character other than a letter or digit turned into `_` (`node-data` ->
// `NODE_DATA`). Pod-specific values override `ALL` ones, and both override the task's svc.yml
// `env`. This is how package options reach the broker (`TASKCFG_ALL_TLS_ENABLED` -> `TLS_ENABLED`).
// Pure; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "scheduler/model/service_spec.hpp"

namespace ternmq::scheduler::spec {

// "NODE_DATA" for "node-data".
std::string pod_env_name(std::string_view pod_type);

// The variables of `env` routed to tasks of `pod_type`, prefixes removed.
std::map<std::string, std::string> routed_task_env(const std::map<std::string, std::string>& env,
                                                   std::string_view pod_type);

// Merges `routed_task_env` into the `env` of every task of `spec`.
void route_task_env(model::service_spec& spec, const std::map<std::string, std::string>& env);

}  // namespace ternmq::scheduler::spec
