#include "scheduler/state/task_record.hpp"

#include <array>
#include <utility>

#include <nlohmann/json.hpp>

namespace ternmq::scheduler::state {
namespace {

constexpr std::array<std::pair<task_state, std::string_view>, 8> k_names{{
    {task_state::staging, "TASK_STAGING"},
    {task_state::starting, "TASK_STARTING"},
    {task_state::running, "TASK_RUNNING"},
    {task_state::finished, "TASK_FINISHED"},
    {task_state::failed, "TASK_FAILED"},
    {task_state::killed, "TASK_KILLED"},
    {task_state::lost, "TASK_LOST"},
    {task_state::error, "TASK_ERROR"},
}};

}  // namespace

std::string_view to_string(task_state s) {
  for (const auto& [state, name] : k_names) {
    if (state == s) return name;
  }
  return "TASK_UNKNOWN";
}

std::optional<task_state> parse_task_state(std::string_view text) {
  for (const auto& [state, name] : k_names) {
    if (name == text) return state;
  }
  return std::nullopt;
}

bool is_terminal(task_state s) {
  return s == task_state::finished || s == task_state::failed || s == task_state::killed || s == task_state::lost ||
         s == task_state::error;
}

nlohmann::json to_json(const task_record& r) {
  nlohmann::json j{{"task_name", r.task_name}, {"task_id", r.task_id},     {"pod_type", r.pod_type},
                   {"pod_index", r.pod_index}, {"task", r.task},           {"config_id", r.config_id},
                   {"agent_id", r.agent_id},   {"hostname", r.hostname},   {"ip", r.ip},
                   {"ports", r.ports},         {"volume_id", r.volume_id}, {"state", to_string(r.state)},
                   {"message", r.message},     {"ready", r.ready},         {"permanently_failed", r.permanently_failed}};
  if (r.healthy) j["healthy"] = *r.healthy;
  return j;
}

core::result<task_record> task_record_from_json(const nlohmann::json& j) {
  try {
    task_record r;
    r.task_name = j.at("task_name").get<std::string>();
    r.task_id = j.at("task_id").get<std::string>();
    r.pod_type = j.at("pod_type").get<std::string>();
    r.pod_index = j.at("pod_index").get<std::uint32_t>();
    r.task = j.at("task").get<std::string>();
    r.config_id = j.at("config_id").get<std::string>();
    r.agent_id = j.at("agent_id").get<std::string>();
    r.hostname = j.at("hostname").get<std::string>();
    r.ip = j.at("ip").get<std::string>();
    r.ports = j.at("ports").get<std::map<std::string, std::uint16_t>>();
    r.volume_id = j.at("volume_id").get<std::string>();
    auto state = parse_task_state(j.at("state").get<std::string>());
    if (!state) return core::error{1, "unknown task state " + j.at("state").dump()};
    r.state = *state;
    r.message = j.at("message").get<std::string>();
    r.ready = j.at("ready").get<bool>();
    if (j.contains("healthy")) r.healthy = j.at("healthy").get<bool>();
    r.permanently_failed = j.at("permanently_failed").get<bool>();
    return r;
  } catch (const nlohmann::json::exception& e) {
    return core::error{1, std::string("task record: ") + e.what()};
  }
}

}  // namespace ternmq::scheduler::state
