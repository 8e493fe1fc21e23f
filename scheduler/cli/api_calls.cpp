// The request behind each ternmq-cli command (see api_calls.hpp).
#include "scheduler/cli/api_calls.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace ternmq::scheduler::cli {
namespace {

http_call get(std::string target) { return {"GET", std::move(target), {}}; }
http_call post(std::string target, std::string body = {}) { return {"POST", std::move(target), std::move(body)}; }

std::string plan_path(const cli_command& cmd, std::string_view action) {
  return "/v1/plans/" + url_escape(cmd.name) + "/" + std::string(action);
}

// "?phase=P&step=S", each part only when given.
std::string phase_query(const cli_command& cmd) {
  std::string q;
  if (!cmd.phase.empty()) q += "?phase=" + url_escape(cmd.phase);
  if (!cmd.step.empty()) q += (q.empty() ? "?" : "&") + std::string("step=") + url_escape(cmd.step);
  return q;
}

}  // namespace

std::string url_escape(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
                            u == '.' || u == '_' || u == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(k_hex[u >> 4]);
      out.push_back(k_hex[u & 0xF]);
    }
  }
  return out;
}

http_call call_for(const cli_command& cmd, std::string_view options_json) {
  switch (cmd.kind) {
    case command_kind::endpoints_list: return get("/v1/endpoints");
    case command_kind::endpoint_show: return get("/v1/endpoints/" + url_escape(cmd.name));
    case command_kind::plan_list: return get("/v1/plans");
    case command_kind::plan_status: return get("/v1/plans/" + url_escape(cmd.name));
    case command_kind::plan_start: return post(plan_path(cmd, "start"), nlohmann::json(cmd.parameters).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    case command_kind::plan_stop: return post(plan_path(cmd, "stop"));
    case command_kind::plan_interrupt: return post(plan_path(cmd, "interrupt") + phase_query(cmd));
    case command_kind::plan_continue: return post(plan_path(cmd, "continue") + phase_query(cmd));
    case command_kind::plan_restart: return post(plan_path(cmd, "restart") + phase_query(cmd));
    case command_kind::plan_force_complete: return post(plan_path(cmd, "forceComplete") + phase_query(cmd));
    case command_kind::pod_list: return get("/v1/pod");
    case command_kind::pod_status_all: return get("/v1/pod/status");
    case command_kind::pod_status: return get("/v1/pod/" + url_escape(cmd.name) + "/status");
    case command_kind::pod_info: return get("/v1/pod/" + url_escape(cmd.name) + "/info");
    case command_kind::pod_restart: return post("/v1/pod/" + url_escape(cmd.name) + "/restart");
    case command_kind::pod_replace: return post("/v1/pod/" + url_escape(cmd.name) + "/replace");
    case command_kind::update_start:
      return post(cmd.replace ? "/v1/update/start?replace=true" : "/v1/update/start", std::string(options_json));
    case command_kind::update_status: return get("/v1/plans/deploy");
    case command_kind::state_framework_id: return get("/v1/state/frameworkId");
    case command_kind::state_properties: return get("/v1/state/properties");
    case command_kind::state_property: return get("/v1/state/properties/" + url_escape(cmd.name));
    case command_kind::config_list: return get("/v1/configurations");
    case command_kind::config_show: return get("/v1/configurations/" + url_escape(cmd.name));
    case command_kind::config_target: return get("/v1/configurations/target");
    case command_kind::config_target_id: return get("/v1/configurations/targetId");
    case command_kind::help: break;
  }
  throw std::logic_error("call_for: the help command sends no request");
}

}  // namespace ternmq::scheduler::cli
