#include "scheduler/plan/pod_plan_builder.hpp"

#include <utility>

namespace ternmq::scheduler::plans {

std::string pod_instance::name() const { return pod_type + "-" + std::to_string(index); }

std::string step_name(const pod_instance& pod) {
  std::string out = pod.name() + ":[";
  for (std::size_t i = 0; i < pod.tasks.size(); ++i) {
    if (i != 0) out += ", ";
    out += pod.tasks[i];
  }
  return out + "]";
}

std::vector<pod_instance> pod_instances(const std::string& pod_type, std::size_t count,
                                        const std::vector<std::string>& tasks) {
  std::vector<pod_instance> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) out.push_back(pod_instance{pod_type, i, tasks});
  return out;
}

phase build_pod_phase(std::string phase_name, strategy phase_strategy, const std::vector<pod_instance>& pods) {
  std::vector<step> steps;
  steps.reserve(pods.size());
  for (const pod_instance& pod : pods) steps.emplace_back(step_name(pod), pod.name(), pod.initial);
  return phase(std::move(phase_name), phase_strategy, std::move(steps));
}

plan build_pod_plan(std::string plan_name, std::string phase_name, strategy phase_strategy,
                    const std::vector<pod_instance>& pods) {
  std::vector<phase> phases;
  phases.push_back(build_pod_phase(std::move(phase_name), phase_strategy, pods));
  return plan(std::move(plan_name), strategy::serial, std::move(phases));
}

}  // namespace ternmq::scheduler::plans
