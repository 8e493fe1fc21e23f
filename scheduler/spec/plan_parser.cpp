// Reader for `plans:`. Phases must name a pod type of the spec, and steps tasks of that pod.
#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

#include "scheduler/spec/spec_parsers.hpp"

namespace ternmq::scheduler::spec::detail {
namespace {

std::optional<model::strategy_type> parse_strategy(const yaml_map& m) {
  const auto text = m.string("strategy");
  if (!text) return std::nullopt;
  if (auto s = model::parse_strategy_type(*text)) return s;
  m.error("strategy", "expected serial, parallel, serial-canary, canary or parallel-canary, got \"" + *text + "\"");
  return std::nullopt;
}

// `[[task, ...], ...]`: each inner list is one step's tasks, all of which must exist in `pod`.
std::vector<std::vector<std::string>> parse_task_groups(const YAML::Node& node, const std::string& path,
                                                        yaml_errors& errors, const YAML::Mark& at,
                                                        const model::pod_spec* pod) {
  std::vector<std::vector<std::string>> groups;
  if (!node.IsSequence() || node.size() == 0) {
    errors.add(path, "expected a list of task lists such as [[broker]], got " + describe(node), at);
    return groups;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string group_path = index_path(path, i);
    const YAML::Node group = node[i];
    if (!group.IsSequence() || group.size() == 0) {
      errors.add(group_path, "expected a list of task names, got " + describe(group), mark_of(group, at));
      continue;
    }
    std::vector<std::string> names;
    for (std::size_t j = 0; j < group.size(); ++j) {
      const YAML::Node item = group[j];
      auto name = read_string(item, index_path(group_path, j), errors, mark_of(item, at));
      if (!name) continue;
      if (pod && !pod->find_task(*name)) {
        errors.add(index_path(group_path, j), "pod \"" + pod->type + "\" has no task \"" + *name + "\"", mark_of(item, at));
      }
      names.push_back(std::move(*name));
    }
    groups.push_back(std::move(names));
  }
  return groups;
}

// `steps:` is a list of one-entry maps, `- 0: [[init], [node]]` or `- default: [[node]]`.
std::vector<model::step_spec> parse_steps(const yaml_map& phase, const model::pod_spec* pod) {
  std::vector<model::step_spec> out;
  const auto* e = phase.find("steps");
  if (!e) return out;
  const std::string path = phase.path("steps");
  if (!e->value.IsSequence()) {
    phase.error("steps", "expected a list, got " + describe(e->value));
    return out;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < e->value.size(); ++i) {
    const std::string item_path = index_path(path, i);
    const YAML::Node item = e->value[i];
    const YAML::Mark at = mark_of(item, e->key_node.Mark());
    if (!item.IsMap() || item.size() != 1) {
      phase.errors().add(item_path, "expected one entry such as `default: [[task]]` or `0: [[task]]`, got " + describe(item), at);
      continue;
    }
    const auto entry = *item.begin();
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    model::step_spec step;
    if (key != "default") {
      std::uint32_t index = 0;
      const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
      if (key.empty() || ec != std::errc{} || end != key.data() + key.size()) {
        phase.errors().add(item_path, "expected a pod index or \"default\" as key, got " + describe(entry.first), at);
        continue;
      }
      step.pod_index = index;
    }
    if (!seen.insert(key).second) {
      phase.errors().add(item_path, "\"" + key + "\" is listed twice", at);
      continue;
    }
    step.task_groups = parse_task_groups(entry.second, child_path(item_path, key), phase.errors(), at, pod);
    out.push_back(std::move(step));
  }
  return out;
}

model::phase_spec parse_phase(const yaml_map::entry& e, const std::string& path, yaml_errors& errors,
                              const std::vector<model::pod_spec>& pods) {
  model::phase_spec phase;
  phase.name = e.key;
  const yaml_map m(e.value, path, errors, {"strategy", "pod", "steps"}, e.key_node.Mark());
  if (!m.is_map()) return phase;
  phase.strategy = parse_strategy(m).value_or(model::strategy_type::serial);
  m.require("pod");
  phase.pod = m.string("pod").value_or("");
  const auto pod = std::find_if(pods.begin(), pods.end(), [&](const model::pod_spec& p) { return p.type == phase.pod; });
  if (m.has("pod") && pod == pods.end()) m.error("pod", "no pod type \"" + phase.pod + "\" in pods");
  phase.steps = parse_steps(m, pod == pods.end() ? nullptr : &*pod);
  return phase;
}

}  // namespace

std::vector<model::plan_spec> parse_plans(const yaml_map& root, const std::vector<model::pod_spec>& pods) {
  std::vector<model::plan_spec> out;
  const auto* e = root.find("plans");
  if (!e) return out;
  const yaml_map plans(e->value, root.path("plans"), root.errors());
  for (const auto& p : plans.entries()) {
    model::plan_spec plan;
    plan.name = p.key;
    const yaml_map m(p.value, plans.path(p.key), root.errors(), {"strategy", "phases"}, p.key_node.Mark());
    if (m.is_map()) {
      plan.strategy = parse_strategy(m).value_or(model::strategy_type::serial);
      if (m.require("phases")) {
        const yaml_map phases(m.find("phases")->value, m.path("phases"), root.errors());
        if (phases.is_map() && phases.entries().empty()) m.error("phases", "must declare at least one phase");
        for (const auto& ph : phases.entries()) {
          plan.phases.push_back(parse_phase(ph, phases.path(ph.key), root.errors(), pods));
        }
      }
    }
    out.push_back(std::move(plan));
  }
  return out;
}

}  // namespace ternmq::scheduler::spec::detail
