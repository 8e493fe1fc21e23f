// /v1/pod answers over `scheduler_operations` (see pod_queries.hpp).
#include "scheduler/api/pod_queries.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "scheduler/api/pod_groups.hpp"
#include "scheduler/api/task_info_json.hpp"

namespace ternmq::scheduler::api {
namespace {

using nlohmann::json;

grouped_pods current_pods(const scheduler_operations& ops) { return group_tasks(ops.target_spec(), ops.store().tasks()); }

std::string task_status_name(state::task_state s) {
  std::string name(state::to_string(s));
  if (name.starts_with("TASK_")) name.erase(0, 5);
  return name;
}

json instance_status_json(const std::string& name, const std::vector<state::task_record>& tasks) {
  json list = json::array();
  for (const state::task_record& t : tasks) {
    list.push_back({{"id", t.task_id}, {"name", t.task_name}, {"status", task_status_name(t.state)}});
  }
  return {{"name", name}, {"tasks", std::move(list)}};
}

// The service specs of the configurations tasks were launched with, parsed once per answer; the
// target's for an id that is gone or no longer parses.
class spec_cache {
 public:
  explicit spec_cache(const scheduler_operations& ops) : ops_(ops) {}

  const model::service_spec& spec_of(const std::string& config_id) {
    if (config_id.empty() || config_id == ops_.target_config_id()) return ops_.target_spec();
    auto [it, added] = specs_.try_emplace(config_id);
    if (added) {
      if (auto stored = ops_.store().configuration(config_id)) {
        if (auto spec = state::to_service_spec(*stored)) it->second = std::move(spec).value();
      }
    }
    return it->second ? *it->second : ops_.target_spec();
  }

 private:
  const scheduler_operations& ops_;
  std::map<std::string, std::optional<model::service_spec>> specs_;
};

response pod_command(std::string_view pod_instance, const core::result<pod_command_result>& done) {
  if (!done) {
    if (done.err().code == static_cast<int>(pod_command_errc::unknown_pod)) return not_found("Pod", pod_instance);
    return text_answer(409, done.err().message);
  }
  return json_answer(200, {{"pod", done->pod}, {"tasks", done->tasks}});
}

}  // namespace

response list_pods(const scheduler_operations& ops) {
  const grouped_pods pods = current_pods(ops);
  std::vector<std::string> names;
  for (const pod_instance_tasks& p : pods.instances) names.push_back(p.name);
  std::sort(names.begin(), names.end());
  for (const state::task_record& t : pods.unknown) names.push_back(std::string(k_unknown_pod) + "_" + t.task_name);
  return json_answer(200, names);
}

response pod_statuses(const scheduler_operations& ops) {
  const grouped_pods pods = current_pods(ops);
  json types = json::array();
  for (const pod_instance_tasks& p : pods.instances) {
    if (types.empty() || types.back()["name"] != p.type) types.push_back({{"name", p.type}, {"instances", json::array()}});
    types.back()["instances"].push_back(instance_status_json(p.name, p.tasks));
  }
  if (!pods.unknown.empty()) {
    const std::string name = std::string(k_unknown_pod) + "-0";
    types.push_back({{"name", k_unknown_pod}, {"instances", json::array({instance_status_json(name, pods.unknown)})}});
  }
  return json_answer(200, {{"service", ops.target_spec().name}, {"pods", std::move(types)}});
}

response pod_status(const scheduler_operations& ops, std::string_view pod_instance) {
  const grouped_pods pods = current_pods(ops);
  const pod_instance_tasks* p = find_instance(pods, pod_instance);
  if (p == nullptr) return not_found("Pod", pod_instance);
  return json_answer(200, instance_status_json(p->name, p->tasks));
}

response pod_info(const scheduler_operations& ops, std::string_view pod_instance) {
  const grouped_pods pods = current_pods(ops);
  const pod_instance_tasks* p = find_instance(pods, pod_instance);
  if (p == nullptr) return not_found("Pod", pod_instance);
  spec_cache specs(ops);
  json out = json::array();
  for (const state::task_record& t : p->tasks) {
    const model::service_spec& spec = specs.spec_of(t.config_id);
    out.push_back({{"info", task_info_json(t, spec)}, {"status", task_status_json(t, spec)}});
  }
  return json_answer(200, std::move(out));
}

response restart_pod(scheduler_operations& ops, std::string_view pod_instance) {
  return pod_command(pod_instance, ops.restart_pod(pod_instance));
}

response replace_pod(scheduler_operations& ops, std::string_view pod_instance) {
  return pod_command(pod_instance, ops.replace_pod(pod_instance));
}

}  // namespace ternmq::scheduler::api
