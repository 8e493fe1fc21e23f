#include "scheduler/model/service_spec.hpp"

#include <algorithm>

namespace ternmq::scheduler::model {

const pod_spec* service_spec::find_pod(std::string_view type) const {
  const auto it = std::find_if(pods.begin(), pods.end(), [&](const pod_spec& p) { return p.type == type; });
  return it == pods.end() ? nullptr : &*it;
}

const plan_spec* service_spec::find_plan(std::string_view plan_name) const {
  const auto it = std::find_if(plans.begin(), plans.end(), [&](const plan_spec& p) { return p.name == plan_name; });
  return it == plans.end() ? nullptr : &*it;
}

std::string escaped_service_name(std::string_view name) {
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  std::string out;
  for (const char c : name) {
    if (c == '/') {
      out += "__";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace ternmq::scheduler::model
