#include "scheduler/model/pod_spec.hpp"

#include <algorithm>

namespace ternmq::scheduler::model {

const task_spec* pod_spec::find_task(std::string_view task_name) const {
  const auto it = std::find_if(tasks.begin(), tasks.end(), [&](const task_spec& t) { return t.name == task_name; });
  return it == tasks.end() ? nullptr : &*it;
}

const resource_set_spec* pod_spec::find_resource_set(std::string_view set_name) const {
  const auto it = std::find_if(resource_sets.begin(), resource_sets.end(),
                               [&](const resource_set_spec& r) { return r.name == set_name; });
  return it == resource_sets.end() ? nullptr : &*it;
}

}  // namespace ternmq::scheduler::model
