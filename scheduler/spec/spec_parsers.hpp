// Internal to the spec module: the svc.yml readers for each spec object, used by
// `parse_service_spec`. Each takes the node and its YAML path, records problems in `errors` (see
// yaml_fields.hpp) and returns what it could read; the caller decides from `errors` whether the
// document as a whole is valid.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scheduler/model/pod_spec.hpp"
#include "scheduler/model/service_spec.hpp"
#include "scheduler/spec/yaml_fields.hpp"

namespace ternmq::scheduler::spec::detail {

// `ports:` of a task or resource set.
std::vector<model::port_spec> parse_ports(const yaml_map& owner);
// `volume:` and `volumes:` of a pod, task or resource set, in that order.
std::vector<model::volume_spec> parse_volumes(const yaml_map& owner);
// `health-check:` / `readiness-check:` of a task; every field is required, as in dcos-commons.
std::optional<model::health_check_spec> parse_health_check(const yaml_map& task);
std::optional<model::readiness_check_spec> parse_readiness_check(const yaml_map& task);
// "k1:v1,k2:v2" label lists (`labels:` of tasks and networks).
std::map<std::string, std::string> parse_labels(const yaml_map& owner, std::string_view key);

model::task_spec parse_task(const yaml_map::entry& e, const std::string& path, yaml_errors& errors);
model::pod_spec parse_pod(const yaml_map::entry& e, const std::string& path, yaml_errors& errors);
// `plans:`; phases must name pods of `pods`, and steps tasks of those pods.
std::vector<model::plan_spec> parse_plans(const yaml_map& root, const std::vector<model::pod_spec>& pods);

// Pod types, task and port names become DNS labels (`node-0-broker`, `_mqtt._node-0-broker._tcp`):
// lower-case letters, digits and inner `-`. Records an error and returns false otherwise.
bool check_dns_name(std::string_view name, std::string_view path, yaml_errors& errors, const YAML::Mark& where);
// Environment variable names: a letter or `_`, then letters, digits and `_`.
bool check_env_name(std::string_view name, std::string_view path, yaml_errors& errors, const YAML::Mark& where);

}  // namespace ternmq::scheduler::spec::detail
