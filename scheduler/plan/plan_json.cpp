// `plan::to_json`: the SDK's PlanInfo / PhaseInfo / StepInfo shapes (GET /v1/plans/<name>).
#include <nlohmann/json.hpp>

#include "scheduler/plan/plan.hpp"

namespace ternmq::scheduler::plans {
namespace {

nlohmann::json step_json(const step& s) {
  return {
      {"id", s.id()},
      {"name", s.name()},
      {"status", to_string(s.status())},
      {"message", s.message()},
  };
}

nlohmann::json phase_json(const phase& p) {
  nlohmann::json steps = nlohmann::json::array();
  for (const step& s : p.steps()) steps.push_back(step_json(s));
  return {
      {"id", p.id()},
      {"name", p.name()},
      {"steps", std::move(steps)},
      {"strategy", to_string(p.strategy())},
      {"status", to_string(p.status())},
  };
}

}  // namespace

nlohmann::json plan::to_json() const {
  nlohmann::json phases = nlohmann::json::array();
  for (const phase& p : phases_) phases.push_back(phase_json(p));
  return {
      {"phases", std::move(phases)},
      {"errors", errors()},
      {"strategy", to_string(strategy_)},
      {"status", to_string(status())},
  };
}

}  // namespace ternmq::scheduler::plans
