#include "scheduler/runtime/launch_builder.hpp"

#include <algorithm>

#include "scheduler/api/task_info_json.hpp"
#include "scheduler/model/names.hpp"
#include "scheduler/spec/mustache.hpp"

namespace ternmq::scheduler::runtime {

std::map<std::string, std::string> task_environment(const launch_context& c) {
  // What the API shows as the task's environment (pod info) is what the launch gives it.
  state::task_record launched;
  launched.task_name = model::task_name(c.pod->type, c.index, c.task->name);
  launched.pod_index = c.index;
  launched.ports = c.ports;
  auto env = api::task_environment(launched, *c.task, *c.spec);
  env["SCHEDULER_API_HOSTNAME"] = c.scheduler_api_host;
  env["SCHEDULER_API_PORT"] = std::to_string(c.scheduler_api_port);
  return env;
}

core::result<backend::launch_request> build_launch_request(const launch_context& c) {
  backend::launch_request r;
  r.task_id = c.task_id;
  r.task_name = model::task_name(c.pod->type, c.index, c.task->name);
  r.cmd = c.task->cmd;
  r.env = task_environment(c);
  r.uris = c.pod->uris;
  for (const auto& config : c.task->configs) {
    auto rendered = spec::render_mustache(config.template_content, r.env);
    if (!rendered) return core::error{1, "config " + config.name + " (" + config.template_path + "): " + rendered.err().message};
    r.files.push_back({config.dest, std::move(rendered).value()});
  }
  auto add_volume = [&](const model::volume_spec& v) {
    r.volumes.push_back({c.volume_id + "-" + v.path, v.path, static_cast<std::uint32_t>(v.size_mb), std::string(model::to_string(v.type))});
  };
  for (const auto& v : c.pod->volumes) add_volume(v);
  for (const auto& v : c.task->volumes) add_volume(v);
  r.resources = {c.task->cpus, static_cast<double>(c.task->memory_mb), 0};
  for (const auto& v : r.volumes) r.resources.disk_mb += v.size_mb;
  for (const auto& port : c.task->ports) {
    if (auto it = c.ports.find(port.name); it != c.ports.end()) r.ports[port.name] = it->second;
  }
  r.rlimits = c.pod->rlimits;
  r.readiness_check = c.task->readiness_check;
  r.health_check = c.task->health_check;
  if (c.task->kill_grace_period) r.kill_grace_period = *c.task->kill_grace_period;
  return r;
}

}  // namespace ternmq::scheduler::runtime
