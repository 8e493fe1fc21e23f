// Plans as svc.yml declares them (`plans: NAME: {strategy, phases}`): the input from which the
// plan module builds its runtime plans, phases and steps. Value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ternmq::scheduler::model {

// How a plan orders its phases, or a phase its steps.
enum class strategy_type {
  serial,           // `serial`
  parallel,         // `parallel`
  serial_canary,    // `serial-canary` (alias `canary`): the first element waits for `continue`
  parallel_canary,  // `parallel-canary`
};

// The svc.yml spelling ("serial", "parallel", "serial-canary", "parallel-canary").
std::string_view to_string(strategy_type type);
// Parses the svc.yml spellings, including the alias "canary"; `nullopt` for anything else.
std::optional<strategy_type> parse_strategy_type(std::string_view text);

// One entry of a phase's `steps:` list: for pod instance `pod_index` (or every instance without an
// entry of its own, when `pod_index` is empty: the `default:` entry), one step per task group, in
// order; each group names the tasks the step launches together.
struct step_spec {
  std::optional<std::uint32_t> pod_index;
  std::vector<std::vector<std::string>> task_groups;
  friend bool operator==(const step_spec&, const step_spec&) = default;
};

struct phase_spec {
  std::string name;
  strategy_type strategy = strategy_type::serial;
  std::string pod;               // pod type the phase deploys
  std::vector<step_spec> steps;  // empty: one step per instance with all the pod's tasks

  // The task groups for instance `index`: its own entry, else the `default:` entry, else none (that
  // instance gets no step, as in dcos-commons). When `steps` is empty this is empty too, and the
  // plan builder uses one step with all of the pod's tasks instead.
  std::vector<std::vector<std::string>> task_groups_for(std::uint32_t index) const;
  friend bool operator==(const phase_spec&, const phase_spec&) = default;
};

struct plan_spec {
  std::string name;
  strategy_type strategy = strategy_type::serial;
  std::vector<phase_spec> phases;  // in svc.yml order
  friend bool operator==(const plan_spec&, const plan_spec&) = default;
};

}  // namespace ternmq::scheduler::model
