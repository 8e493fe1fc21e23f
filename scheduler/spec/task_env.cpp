#include "scheduler/spec/task_env.hpp"

#include <cctype>

namespace ternmq::scheduler::spec {
namespace {

constexpr std::string_view k_prefix = "TASKCFG_";
constexpr std::string_view k_all_prefix = "TASKCFG_ALL_";

void copy_with_prefix(const std::map<std::string, std::string>& env, std::string_view prefix,
                      std::map<std::string, std::string>& out) {
  for (const auto& [key, value] : env) {
    if (key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0) {
      out[key.substr(prefix.size())] = value;
    }
  }
}

}  // namespace

std::string pod_env_name(std::string_view pod_type) {
  std::string out;
  for (const char c : pod_type) {
    const auto u = static_cast<unsigned char>(c);
    out += std::isalnum(u) ? static_cast<char>(std::toupper(u)) : '_';
  }
  return out;
}

std::map<std::string, std::string> routed_task_env(const std::map<std::string, std::string>& env,
                                                   std::string_view pod_type) {
  std::map<std::string, std::string> out;
  copy_with_prefix(env, k_all_prefix, out);
  copy_with_prefix(env, std::string(k_prefix) + pod_env_name(pod_type) + "_", out);
  return out;
}

void route_task_env(model::service_spec& spec, const std::map<std::string, std::string>& env) {
  for (auto& pod : spec.pods) {
    const auto routed = routed_task_env(env, pod.type);
    for (auto& task : pod.tasks) {
      for (const auto& [key, value] : routed) task.env[key] = value;
    }
  }
}

}  // namespace ternmq::scheduler::spec
