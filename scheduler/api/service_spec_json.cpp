// The service spec model as JSON, field by field (see service_spec_json.hpp).
#include "scheduler/api/service_spec_json.hpp"

#include <cmath>
#include <optional>
#include <string>

namespace ternmq::scheduler::model {
namespace {

using nlohmann::json;

template <class T>
json or_null(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json limit_json(const resource_limit& limit) {
  if (!limit) return nullptr;
  if (std::isinf(*limit)) return "unlimited";
  return *limit;
}

json seconds(std::chrono::seconds s) { return s.count(); }

json health_json(const health_check_spec& h) {
  return {{"cmd", h.cmd},
          {"interval", seconds(h.interval)},
          {"delay", seconds(h.delay)},
          {"timeout", seconds(h.timeout)},
          {"grace-period", seconds(h.grace_period)},
          {"max-consecutive-failures", h.max_consecutive_failures}};
}

json readiness_json(const readiness_check_spec& r) {
  return {{"cmd", r.cmd}, {"interval", seconds(r.interval)}, {"delay", seconds(r.delay)}, {"timeout", seconds(r.timeout)}};
}

json config_json(const config_spec& c) {
  return {{"name", c.name}, {"template", c.template_path}, {"dest", c.dest}, {"template-content", c.template_content}};
}

json network_json(const network_spec& n) {
  return {{"name", n.name}, {"host-ports", n.host_ports}, {"container-ports", n.container_ports}, {"labels", n.labels}};
}

json rlimit_json(const rlimit_spec& r) { return {{"name", r.name}, {"soft", or_null(r.soft)}, {"hard", or_null(r.hard)}}; }

json secret_json(const secret_spec& s) {
  return {{"name", s.name}, {"secret", s.secret}, {"env-key", s.env_key}, {"file", s.file}};
}

json host_volume_json(const host_volume_spec& v) {
  return {{"name", v.name}, {"host-path", v.host_path}, {"container-path", v.container_path}};
}

json resource_set_json(const resource_set_spec& s) {
  return {{"name", s.name}, {"cpus", s.cpus},   {"gpus", s.gpus},
          {"memory", s.memory_mb}, {"ports", s.ports}, {"volumes", s.volumes}};
}

json step_json(const step_spec& s) {
  return {{"pod-index", s.pod_index ? json(*s.pod_index) : json("default")}, {"task-groups", s.task_groups}};
}

json phase_json(const phase_spec& p) {
  json steps = json::array();
  for (const step_spec& s : p.steps) steps.push_back(step_json(s));
  return {{"name", p.name}, {"strategy", to_string(p.strategy)}, {"pod", p.pod}, {"steps", std::move(steps)}};
}

template <class T, class F>
json list_of(const std::vector<T>& items, F&& one) {
  json out = json::array();
  for (const T& item : items) out.push_back(one(item));
  return out;
}

}  // namespace

void to_json(json& out, const port_spec& port) {
  json vip = nullptr;
  if (port.vip) vip = {{"prefix", port.vip->prefix}, {"port", port.vip->port}, {"protocol", port.vip->protocol}};
  json ranges = json::array();
  for (const port_range& r : port.ranges) ranges.push_back({{"begin", r.begin}, {"end", r.end}});
  out = {{"name", port.name},         {"port", port.port}, {"env-key", port.env_key},
         {"advertise", port.advertise}, {"vip", std::move(vip)}, {"ranges", std::move(ranges)}};
}

void to_json(json& out, const volume_spec& volume) {
  out = {{"name", volume.name}, {"path", volume.path}, {"type", to_string(volume.type)}, {"size", volume.size_mb}};
}

void to_json(json& out, const task_spec& task) {
  json discovery = nullptr;
  if (task.discovery) discovery = {{"prefix", task.discovery->prefix}, {"visibility", task.discovery->visibility}};
  json encryption = json::array();
  for (const transport_encryption_spec& e : task.transport_encryption) {
    encryption.push_back({{"name", e.name}, {"type", to_string(e.type)}});
  }
  out = {{"name", task.name},
         {"goal", to_string(task.goal)},
         {"essential", task.essential},
         {"cmd", task.cmd},
         {"cpus", task.cpus},
         {"gpus", task.gpus},
         {"memory", task.memory_mb},
         {"ports", task.ports},
         {"volumes", task.volumes},
         {"resource-set", task.resource_set},
         {"resource-limits", {{"cpus", limit_json(task.cpus_limit)}, {"memory", limit_json(task.memory_limit_mb)}}},
         {"configs", list_of(task.configs, config_json)},
         {"env", task.env},
         {"labels", task.labels},
         {"health-check", task.health_check ? health_json(*task.health_check) : json(nullptr)},
         {"readiness-check", task.readiness_check ? readiness_json(*task.readiness_check) : json(nullptr)},
         {"discovery", std::move(discovery)},
         {"kill-grace-period", task.kill_grace_period ? seconds(*task.kill_grace_period) : json(nullptr)},
         {"transport-encryption", std::move(encryption)}};
}

void to_json(json& out, const pod_spec& pod) {
  out = {{"type", pod.type},
         {"count", pod.count},
         {"allow-decommission", pod.allow_decommission},
         {"placement", pod.placement},
         {"image", or_null(pod.image)},
         {"uris", pod.uris},
         {"user", pod.user},
         {"pre-reserved-role", pod.pre_reserved_role},
         {"share-pid-namespace", pod.share_pid_namespace},
         {"networks", list_of(pod.networks, network_json)},
         {"rlimits", list_of(pod.rlimits, rlimit_json)},
         {"secrets", list_of(pod.secrets, secret_json)},
         {"volumes", pod.volumes},
         {"host-volumes", list_of(pod.host_volumes, host_volume_json)},
         {"resource-sets", list_of(pod.resource_sets, resource_set_json)},
         {"tasks", pod.tasks}};
}

void to_json(json& out, const plan_spec& plan) {
  out = {{"name", plan.name}, {"strategy", to_string(plan.strategy)}, {"phases", list_of(plan.phases, phase_json)}};
}

void to_json(json& out, const service_spec& spec) {
  out = {{"name", spec.name},
         {"web-url", spec.web_url},
         {"principal", spec.principal},
         {"role", spec.role},
         {"user", spec.user},
         {"zookeeper", spec.zookeeper},
         {"api-port", or_null(spec.api_port)},
         {"pods", spec.pods},
         {"plans", spec.plans}};
}

}  // namespace ternmq::scheduler::model
