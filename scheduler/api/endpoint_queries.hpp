// The logic behind the SDK's `/v1/endpoints` (SDK `EndpointsQueries`): how clients reach the
// service. Pure; not thread-safe beyond its arguments (run on the scheduler's event loop).
//
//   GET /v1/endpoints          list_endpoints  sorted names of the target spec's advertised ports
//   GET /v1/endpoints/<name>   get_endpoint    {"address":["<ip>:<port>",...],
//                                               "dns":["<discovery name>.<autoip domain>:<port>",...],
//                                               "vip":"<prefix>.<service>.l4lb.thisdcos.directory:<port>",
//                                               "srv":["_<port>._<discovery name>._tcp.<service>.mesos.",...]}
// `vip` only when the port has one. `srv` is ours, not the SDK's: the Mesos-DNS named SRV record
// of each node (the names the HiveMQ-style connecting-clients table documents). Entries come from
// the task records that hold a host port of that name, ordered by pod type (spec order), pod index
// and task, so the nth entries of `address`, `dns` and `srv` are the same task. The address is
// the task's IP, or its agent's hostname while no IP is known. An unknown name: 404, empty body.
// Unlike the SDK, which lists only ports of launched tasks, names come from the target spec, so a
// service that is still deploying already lists its endpoints (with empty lists).
#pragma once

#include <string_view>
#include <vector>

#include "scheduler/api/response.hpp"
#include "scheduler/model/service_spec.hpp"
#include "scheduler/state/task_record.hpp"

namespace ternmq::scheduler::api {

response list_endpoints(const model::service_spec& target);
response get_endpoint(const model::service_spec& target, std::vector<state::task_record> tasks, std::string_view name);

}  // namespace ternmq::scheduler::api
