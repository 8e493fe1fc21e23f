#include "scheduler/runtime/plan_factory.hpp"

#include <utility>

#include "scheduler/model/names.hpp"
#include "scheduler/plan/plan_manager.hpp"
#include "scheduler/plan/pod_plan_builder.hpp"

namespace ternmq::scheduler::runtime {
namespace {

plans::strategy to_plan_strategy(model::strategy_type type) {
  switch (type) {
    case model::strategy_type::serial: return plans::strategy::serial;
    case model::strategy_type::parallel: return plans::strategy::parallel;
    case model::strategy_type::serial_canary: return plans::strategy::serial_canary;
    case model::strategy_type::parallel_canary: return plans::strategy::parallel_canary;
  }
  return plans::strategy::serial;
}

// The tasks a phase without `steps:` launches: every task the pod keeps running.
std::vector<std::string> running_tasks(const model::pod_spec& pod) {
  std::vector<std::string> out;
  for (const auto& task : pod.tasks) {
    if (task.goal == model::task_goal::running) out.push_back(task.name);
  }
  return out;
}

plans::phase build_phase(const model::phase_spec& phase_spec, const model::service_spec& spec,
                         const pod_is_current& current) {
  std::vector<plans::pod_instance> instances;
  if (const model::pod_spec* pod = spec.find_pod(phase_spec.pod)) {
    for (std::uint32_t i = 0; i < pod->count; ++i) {
      auto groups = phase_spec.task_groups_for(i);
      if (phase_spec.steps.empty()) groups = {running_tasks(*pod)};
      for (auto& group : groups) {
        plans::pod_instance instance{pod->type, i, std::move(group)};
        instance.initial = current(instance.name()) ? plans::status::complete : plans::status::pending;
        instances.push_back(std::move(instance));
      }
    }
  }
  plans::phase built = plans::build_pod_phase(phase_spec.name, to_plan_strategy(phase_spec.strategy), instances);
  if (spec.find_pod(phase_spec.pod) == nullptr) built.add_error("phase " + phase_spec.name + ": unknown pod " + phase_spec.pod);
  return built;
}

}  // namespace

plans::plan build_plan(const model::plan_spec& plan_spec, const model::service_spec& spec, const pod_is_current& current) {
  std::vector<plans::phase> phases;
  for (const auto& phase_spec : plan_spec.phases) phases.push_back(build_phase(phase_spec, spec, current));
  auto strategy = to_plan_strategy(plan_spec.strategy);
  if (plans::is_canary(strategy)) strategy = plans::without_canary(strategy);  // canary applies to phases only
  return plans::plan(plan_spec.name, strategy, std::move(phases));
}

plans::plan build_deploy_plan(const model::service_spec& spec, const pod_is_current& current, bool deployment_completed) {
  const model::plan_spec* deploy = spec.find_plan(plans::k_deploy_plan);
  const model::plan_spec* update = spec.find_plan(plans::k_update_plan);
  if (deployment_completed && update != nullptr) {
    return build_plan(*update, spec, current).with_name(std::string(plans::k_deploy_plan));
  }
  if (deploy != nullptr) return build_plan(*deploy, spec, current);
  model::plan_spec fallback{std::string(plans::k_deploy_plan), model::strategy_type::serial, {}};
  for (const auto& pod : spec.pods) fallback.phases.push_back({pod.type, model::strategy_type::serial, pod.type, {}});
  return build_plan(fallback, spec, current);
}

plans::plan build_recovery_plan(const std::vector<recovery_request>& requests) {
  std::vector<plans::phase> phases;
  for (const auto& request : requests) {
    auto dash = request.pod_instance.rfind('-');
    plans::pod_instance instance{request.pod_instance.substr(0, dash),
                                 std::stoul(request.pod_instance.substr(dash + 1)), request.tasks};
    phases.push_back(plans::build_pod_phase(request.pod_instance, plans::strategy::serial, {instance}));
  }
  return plans::plan(std::string(plans::k_recovery_plan), plans::strategy::serial, std::move(phases));
}

std::vector<std::string> tasks_of_step(const std::string& step_name) {
  std::vector<std::string> out;
  auto open = step_name.find(":[");
  auto close = step_name.rfind(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::string list = step_name.substr(open + 2, close - open - 2);
  std::size_t start = 0;
  while (start <= list.size()) {
    auto comma = list.find(", ", start);
    std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!name.empty()) out.push_back(name);
    if (comma == std::string::npos) break;
    start = comma + 2;
  }
  return out;
}

}  // namespace ternmq::scheduler::runtime
