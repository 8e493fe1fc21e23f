#include "scheduler/model/plan_spec.hpp"

namespace ternmq::scheduler::model {

std::string_view to_string(strategy_type type) {
  switch (type) {
    case strategy_type::serial: return "serial";
    case strategy_type::parallel: return "parallel";
    case strategy_type::serial_canary: return "serial-canary";
    case strategy_type::parallel_canary: return "parallel-canary";
  }
  return "?";
}

std::optional<strategy_type> parse_strategy_type(std::string_view text) {
  if (text == "serial") return strategy_type::serial;
  if (text == "parallel") return strategy_type::parallel;
  if (text == "serial-canary" || text == "canary") return strategy_type::serial_canary;
  if (text == "parallel-canary") return strategy_type::parallel_canary;
  return std::nullopt;
}

std::vector<std::vector<std::string>> phase_spec::task_groups_for(std::uint32_t index) const {
  const step_spec* fallback = nullptr;
  for (const step_spec& s : steps) {
    if (s.pod_index == index) return s.task_groups;
    if (!s.pod_index) fallback = &s;
  }
  return fallback ? fallback->task_groups : std::vector<std::vector<std::string>>{};
}

}  // namespace ternmq::scheduler::model
