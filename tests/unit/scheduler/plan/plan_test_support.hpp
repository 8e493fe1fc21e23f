// Helpers shared by the plan tests: building broker phases and reading candidates as names.
#pragma once

#include <string>
#include <vector>

#include "scheduler/plan/phase.hpp"
#include "scheduler/plan/plan.hpp"
#include "scheduler/plan/step.hpp"

namespace ternmq::scheduler::plans::test_support {

// Steps "<pod>-0:[node]" .. "<pod>-<count-1>:[node]" on pods "<pod>-<i>".
inline std::vector<step> pod_steps(const std::string& pod, int count) {
  std::vector<step> out;
  for (int i = 0; i < count; ++i) {
    const std::string instance = pod + "-" + std::to_string(i);
    out.emplace_back(instance + ":[node]", instance);
  }
  return out;
}

inline phase pod_phase(const std::string& pod, int count, strategy s = strategy::serial) {
  return phase(pod, s, pod_steps(pod, count));
}

template <class Step>
std::vector<std::string> names(const std::vector<Step*>& steps) {
  std::vector<std::string> out;
  for (const auto* s : steps) out.push_back(s->name());
  return out;
}

inline std::vector<status> statuses(const phase& p) {
  std::vector<status> out;
  for (const step& s : p.steps()) out.push_back(s.status());
  return out;
}

// Walks a step through a full launch: start, launched, ready.
inline void complete(step& s) {
  static_cast<void>(s.start());
  static_cast<void>(s.on_launched());
  static_cast<void>(s.on_ready());
}

}  // namespace ternmq::scheduler::plans::test_support
