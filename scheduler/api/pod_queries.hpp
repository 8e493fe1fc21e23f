// The logic behind the SDK's `/v1/pod` endpoints (SDK `PodQueries`), as pure functions from the
// scheduler's state to answers; `routes.cpp` only routes. Not thread-safe: run on the scheduler's
// event loop, like every use of `scheduler_operations`.
//
//   GET  /v1/pod                 list_pods      ["node-0","node-1",...,"UNKNOWN_POD_<task>"]
//   GET  /v1/pod/status          pod_statuses   {"service":..,"pods":[{"name":"node","instances":[..]}]}
//   GET  /v1/pod/<pod>/status    pod_status     {"name":"node-0","tasks":[{"id","name","status"}]}
//   GET  /v1/pod/<pod>/info      pod_info       [{"info":<TaskInfo>,"status":<TaskStatus>},...]
//   POST /v1/pod/<pod>/restart   restart_pod    {"pod":"node-0","tasks":["node-0-broker"]}
//   POST /v1/pod/<pod>/replace   replace_pod    same shape
// Unknown pod instance: 404 "Pod <name> not found". A refused restart or replace: 409 with the
// scheduler's reason. A task's `status` is its state without "TASK_" (RUNNING, FAILED, ...); a pod
// instance of the target spec that has no task record yet has an empty `tasks` list.
#pragma once

#include <string_view>

#include "scheduler/api/response.hpp"
#include "scheduler/api/scheduler_operations.hpp"

namespace ternmq::scheduler::api {

// Pod instance names in the SDK's order: sorted as strings ("node-10" before "node-2"), then one
// "UNKNOWN_POD_<task>" per record without a pod type.
response list_pods(const scheduler_operations& ops);
response pod_statuses(const scheduler_operations& ops);
response pod_status(const scheduler_operations& ops, std::string_view pod_instance);
response pod_info(const scheduler_operations& ops, std::string_view pod_instance);
response restart_pod(scheduler_operations& ops, std::string_view pod_instance);
response replace_pod(scheduler_operations& ops, std::string_view pod_instance);

}  // namespace ternmq::scheduler::api
