// A `model::service_spec` as JSON, for `GET /v1/configurations/<id>` and `/target` (the SDK
// serialises its `DefaultServiceSpec` with Jackson). Every field of the model appears, named as
// svc.yml names it (`allow-decommission`, `env-key`, `resource-sets`, ...), in svc.yml order for
// lists (pods, tasks, ports, volumes, plans, phases), with `null` for an unset optional and
// "unlimited" for an unlimited resource limit. Durations are whole seconds, sizes MB. One-way: the
// scheduler never reads this back (stored configurations keep their rendered svc.yml). Pure.
#pragma once

#include <nlohmann/json.hpp>

#include "scheduler/model/plan_spec.hpp"
#include "scheduler/model/pod_spec.hpp"
#include "scheduler/model/service_spec.hpp"
#include "scheduler/model/task_spec.hpp"

namespace ternmq::scheduler::model {

// Found by argument-dependent lookup, so `nlohmann::json j = spec;` works too.
void to_json(nlohmann::json& out, const service_spec& spec);
void to_json(nlohmann::json& out, const pod_spec& pod);
void to_json(nlohmann::json& out, const task_spec& task);
void to_json(nlohmann::json& out, const port_spec& port);
void to_json(nlohmann::json& out, const volume_spec& volume);
void to_json(nlohmann::json& out, const plan_spec& plan);

}  // namespace ternmq::scheduler::model

namespace ternmq::scheduler::api {

inline nlohmann::json to_json(const model::service_spec& spec) { return nlohmann::json(spec); }

}  // namespace ternmq::scheduler::api
