// Grouping task records by pod instance, with the target's instances listed even without tasks.
#include "scheduler/api/pod_groups.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>
#include <utility>

#include "scheduler/model/names.hpp"

namespace ternmq::scheduler::api {
namespace {

// Position of `task` in its pod spec, for ordering; tasks the spec does not know go last.
std::size_t task_rank(const model::service_spec& target, const state::task_record& record) {
  const model::pod_spec* pod = target.find_pod(record.pod_type);
  if (pod == nullptr) return std::numeric_limits<std::size_t>::max();
  for (std::size_t i = 0; i < pod->tasks.size(); ++i) {
    if (pod->tasks[i].name == record.task) return i;
  }
  return pod->tasks.size();
}

}  // namespace

grouped_pods group_tasks(const model::service_spec& target, std::vector<state::task_record> records) {
  std::map<std::pair<std::string, std::uint32_t>, pod_instance_tasks> by_instance;
  auto instance = [&](const std::string& type, std::uint32_t index) -> pod_instance_tasks& {
    auto [it, added] = by_instance.try_emplace({type, index});
    if (added) it->second = pod_instance_tasks{type, index, model::pod_instance_name(type, index), {}};
    return it->second;
  };
  for (const model::pod_spec& pod : target.pods) {
    for (std::uint32_t i = 0; i < pod.count; ++i) instance(pod.type, i);
  }
  grouped_pods out;
  for (state::task_record& record : records) {
    if (record.pod_type.empty()) {
      out.unknown.push_back(std::move(record));
    } else {
      instance(record.pod_type, record.pod_index).tasks.push_back(std::move(record));
    }
  }
  for (auto& entry : by_instance) {
    auto& tasks = entry.second.tasks;
    std::sort(tasks.begin(), tasks.end(), [&](const state::task_record& a, const state::task_record& b) {
      return std::make_tuple(task_rank(target, a), a.task_name) < std::make_tuple(task_rank(target, b), b.task_name);
    });
    out.instances.push_back(std::move(entry.second));
  }
  std::sort(out.unknown.begin(), out.unknown.end(),
            [](const state::task_record& a, const state::task_record& b) { return a.task_name < b.task_name; });
  return out;
}

const pod_instance_tasks* find_instance(const grouped_pods& pods, std::string_view pod_instance) {
  const auto it = std::find_if(pods.instances.begin(), pods.instances.end(),
                               [&](const pod_instance_tasks& p) { return p.name == pod_instance; });
  return it == pods.instances.end() ? nullptr : &*it;
}

}  // namespace ternmq::scheduler::api
