#include "scheduler/runtime/offer_choice.hpp"

#include "scheduler/model/names.hpp"
#include "scheduler/offer/offer_evaluator.hpp"
#include "scheduler/offer/placement_rule.hpp"

namespace ternmq::scheduler::runtime {

core::result<offer_choice> choose_offer(const offer_choice_request& request, const std::vector<backend::offer>& offers) {
  offers::pod_requirement need;
  need.pod = {request.pod->type, request.index};
  for (const model::task_spec* task : request.tasks) {
    need.resources += {task->cpus, static_cast<double>(task->memory_mb), 0};
    for (const auto& port : task->ports) need.ports.push_back(port);
    for (const auto& v : task->volumes) need.resources.disk_mb += static_cast<double>(v.size_mb);
  }
  for (const auto& v : request.pod->volumes) need.resources.disk_mb += static_cast<double>(v.size_mb);
  need.reserved_ports = request.reserved_ports;
  need.agent_id = request.required_agent;
  auto rules = offers::parse_placement(request.pod->placement);
  if (!rules) return rules.err();
  need.placement = std::move(rules).value();
  for (const auto& other : request.others) {
    need.others.push_back({model::pod_instance_name(other.pod_type, other.pod_index), other.hostname, {}});
  }
  auto outcome = offers::evaluate_offers(need, offers);
  if (!outcome) return outcome.err();
  if (!outcome->matched()) return core::error{1, outcome->summary()};
  offer_choice choice;
  for (const auto& o : offers) {
    if (o.id == outcome->match->offer_id) choice.chosen = o;
  }
  choice.ports = outcome->match->ports;
  return choice;
}

}  // namespace ternmq::scheduler::runtime
