// Mesos TaskInfo/TaskStatus-shaped JSON rebuilt from a task record and its spec.
#include "scheduler/api/task_info_json.hpp"

#include <chrono>
#include <cstdint>
#include <string>

#include "scheduler/dns/dcos_names.hpp"
#include "scheduler/dns/mesos_dns.hpp"

namespace ternmq::scheduler::api {
namespace {

using nlohmann::json;

json value_of(const std::string& v) { return json{{"value", v}}; }

json labels_of(const std::map<std::string, std::string>& labels) {
  json list = json::array();
  for (const auto& [key, value] : labels) list.push_back({{"key", key}, {"value", value}});
  return json{{"labels", std::move(list)}};
}

json scalar(const std::string& name, double value, const std::string& role) {
  return {{"name", name}, {"type", "SCALAR"}, {"scalar", {{"value", value}}}, {"role", role}};
}

// Resources of `task`: its own, or those of the pod resource set it names.
json resources_json(const state::task_record& record, const model::pod_spec& pod, const model::task_spec& task,
                    const model::service_spec& spec) {
  double cpus = task.cpus;
  double gpus = task.gpus;
  double mem = task.memory_mb;
  std::vector<model::volume_spec> volumes = task.volumes;
  if (const model::resource_set_spec* set = pod.find_resource_set(task.resource_set)) {
    cpus = set->cpus;
    gpus = set->gpus;
    mem = set->memory_mb;
    volumes.insert(volumes.end(), set->volumes.begin(), set->volumes.end());
  }
  volumes.insert(volumes.end(), pod.volumes.begin(), pod.volumes.end());

  json out = json::array({scalar("cpus", cpus, spec.role), scalar("mem", mem, spec.role)});
  if (gpus > 0) out.push_back(scalar("gpus", gpus, spec.role));
  for (const model::volume_spec& v : volumes) {
    json disk = scalar("disk", static_cast<double>(v.size_mb), spec.role);
    json source = json::object();
    if (v.type == model::volume_type::mount) source = {{"type", "MOUNT"}};
    disk["disk"] = {{"persistence", {{"id", record.volume_id}, {"principal", spec.principal}}},
                    {"volume", {{"container_path", v.path}, {"mode", "RW"}}},
                    {"source", source.empty() ? json{{"type", "ROOT"}} : source}};
    out.push_back(std::move(disk));
  }
  if (!record.ports.empty()) {
    json ranges = json::array();
    for (const auto& entry : record.ports) ranges.push_back({{"begin", entry.second}, {"end", entry.second}});
    out.push_back({{"name", "ports"}, {"type", "RANGES"}, {"ranges", {{"range", std::move(ranges)}}}, {"role", spec.role}});
  }
  return out;
}

json discovery_json(const state::task_record& record, const model::task_spec& task) {
  json ports = json::array();
  for (const model::port_spec& p : task.ports) {
    const auto host_port = record.ports.find(p.name);
    if (host_port == record.ports.end()) continue;
    json port{{"number", host_port->second},
              {"name", p.name},
              {"protocol", p.vip ? p.vip->protocol : "tcp"},
              {"visibility", p.advertise ? "EXTERNAL" : "CLUSTER"}};
    // dcos-net reads any label whose key starts with "VIP" as "<name>:<port>" (SDK: VIP_<uuid>).
    if (p.vip) port["labels"] = labels_of({{"VIP_" + p.name, p.vip->prefix + ":" + std::to_string(p.vip->port)}});
    ports.push_back(std::move(port));
  }
  const std::string visibility = task.discovery && !task.discovery->visibility.empty() ? task.discovery->visibility
                                                                                       : "CLUSTER";
  return {{"visibility", visibility},
          {"name", dns::discovery_name(task, record.pod_type, record.pod_index)},
          {"ports", {{"ports", std::move(ports)}}}};
}

json environment_json(const std::map<std::string, std::string>& env) {
  json variables = json::array();
  for (const auto& [name, value] : env) variables.push_back({{"name", name}, {"value", value}});
  return {{"variables", std::move(variables)}};
}

json health_check_json(const model::health_check_spec& h) {
  return {{"type", "COMMAND"},
          {"command", value_of(h.cmd)},
          {"interval_seconds", h.interval.count()},
          {"delay_seconds", h.delay.count()},
          {"timeout_seconds", h.timeout.count()},
          {"grace_period_seconds", h.grace_period.count()},
          {"consecutive_failures", h.max_consecutive_failures}};
}

json readiness_check_json(const model::readiness_check_spec& r) {
  return {{"type", "COMMAND"},
          {"command", {{"command", value_of(r.cmd)}}},
          {"interval_seconds", r.interval.count()},
          {"delay_seconds", r.delay.count()},
          {"timeout_seconds", r.timeout.count()}};
}

const model::task_spec* find_task(const model::service_spec& spec, const state::task_record& record,
                                  const model::pod_spec** pod_out) {
  const model::pod_spec* pod = spec.find_pod(record.pod_type);
  *pod_out = pod;
  return pod == nullptr ? nullptr : pod->find_task(record.task);
}

}  // namespace

std::map<std::string, std::string> task_environment(const state::task_record& record, const model::task_spec& task,
                                                    const model::service_spec& spec) {
  std::map<std::string, std::string> env = task.env;
  for (const model::port_spec& p : task.ports) {
    const auto host_port = record.ports.find(p.name);
    if (!p.env_key.empty() && host_port != record.ports.end()) env[p.env_key] = std::to_string(host_port->second);
  }
  env["TASK_NAME"] = record.task_name;
  env[record.task_name] = "true";
  env["POD_INSTANCE_INDEX"] = std::to_string(record.pod_index);
  env["FRAMEWORK_NAME"] = spec.name;
  env["FRAMEWORK_HOST"] = dns::autoip_domain(spec.name);
  env["FRAMEWORK_VIP_HOST"] = dns::framework_vip_host(spec.name);
  return env;
}

json task_info_json(const state::task_record& record, const model::service_spec& spec) {
  json info{{"name", record.task_name}, {"task_id", value_of(record.task_id)}, {"agent_id", value_of(record.agent_id)}};
  std::map<std::string, std::string> labels{{"target_configuration", record.config_id},
                                            {"offer_hostname", record.hostname},
                                            {"task_type", record.pod_type},
                                            {"index", std::to_string(record.pod_index)}};
  if (record.permanently_failed) labels["permanently-failed"] = "true";

  const model::pod_spec* pod = nullptr;
  const model::task_spec* task = find_task(spec, record, &pod);
  if (task == nullptr) {
    info["labels"] = labels_of(labels);
    return info;
  }
  labels["goal_state"] = std::string(model::to_string(task->goal));
  for (const auto& [key, value] : task->labels) labels.emplace(key, value);
  info["labels"] = labels_of(labels);
  info["resources"] = resources_json(record, *pod, *task, spec);
  json command{{"value", task->cmd},
               {"environment", environment_json(task_environment(record, *task, spec))},
               {"user", spec.user_of(*pod)}};
  json uris = json::array();
  for (const std::string& uri : pod->uris) uris.push_back(value_of(uri));
  command["uris"] = std::move(uris);
  info["command"] = std::move(command);
  info["discovery"] = discovery_json(record, *task);
  if (task->health_check) info["health_check"] = health_check_json(*task->health_check);
  if (task->readiness_check) info["check"] = readiness_check_json(*task->readiness_check);
  if (task->kill_grace_period) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(*task->kill_grace_period).count();
    info["kill_policy"] = {{"grace_period", {{"nanoseconds", ns}}}};
  }
  if (pod->image) info["container"] = {{"type", "MESOS"}, {"mesos", {{"image", {{"type", "DOCKER"}, {"docker", {{"name", *pod->image}}}}}}}};
  return info;
}

json task_status_json(const state::task_record& record, const model::service_spec& spec) {
  json status{{"task_id", value_of(record.task_id)},
              {"state", std::string(state::to_string(record.state))},
              {"message", record.message},
              {"agent_id", value_of(record.agent_id)}};
  if (record.healthy) status["healthy"] = *record.healthy;
  if (!record.ip.empty()) {
    status["container_status"] = {{"network_infos", json::array({{{"ip_addresses", json::array({{{"ip_address", record.ip}}})}}})}};
  }
  const model::pod_spec* pod = nullptr;
  const model::task_spec* task = find_task(spec, record, &pod);
  if (task != nullptr && task->readiness_check) {
    status["check_status"] = {{"type", "COMMAND"},
                              {"command", record.ready ? json{{"exit_code", 0}} : json::object()}};
  }
  return status;
}

}  // namespace ternmq::scheduler::api
