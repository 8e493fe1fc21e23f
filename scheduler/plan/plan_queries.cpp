#include "scheduler/plan/plan_queries.hpp"

#include <algorithm>
#include <utility>
#include <variant>

namespace ternmq::scheduler::plans {
namespace {

response json_response(int code, nlohmann::json body) { return response{code, true, std::move(body), {}}; }

response text_response(int code, std::string body) { return response{code, false, nullptr, std::move(body)}; }

response command_received(std::string_view command) {
  return json_response(200, {{"message", "Received cmd: " + std::string(command)}});
}

response already_reported() { return text_response(208, "Command has already been reported or completed"); }

response not_found(std::string_view kind, std::string_view name) {
  return text_response(404, std::string(kind) + " " + std::string(name) + " not found");
}

bool is_env_name(std::string_view s) {
  if (s.empty()) return false;
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!letter(s.front())) return false;
  return std::all_of(s.begin() + 1, s.end(), [&](char c) { return letter(c) || digit(c); });
}

// Java's `Map.toString`, in key order: "{A=1, B=2}".
std::string format_parameters(const std::map<std::string, std::string>& parameters) {
  std::string out = "{";
  for (const auto& [key, value] : parameters) {
    if (out.size() > 1) out += ", ";
    out += key + "=" + value;
  }
  return out + "}";
}

// The element a forceComplete or restart names: the plan, one of its phases or one step.
using element = std::variant<plan*, phase*, step*>;

std::variant<element, response> find_element(plan_manager& plans, std::string_view name, std::string_view phase_key,
                                             std::string_view step_key) {
  plan* p = plans.find(name);
  if (p == nullptr) return not_found("Plan", name);
  if (phase_key.empty() && step_key.empty()) return element{p};
  if (phase_key.empty()) return text_response(400, "Missing phase");
  phase* ph = p->find_phase(phase_key);
  if (ph == nullptr) return not_found("Phase", phase_key);
  if (step_key.empty()) return element{ph};
  step* st = ph->find_step(step_key);
  if (st == nullptr) return not_found("Step", step_key);
  return element{st};
}

std::string element_command(std::string_view command, std::string_view name, std::string_view phase_key,
                            std::string_view step_key) {
  // The SDK prints absent parameters as Java's "null".
  auto or_null = [](std::string_view s) { return s.empty() ? std::string("null") : std::string(s); };
  return std::string(command) + " for Plan: " + std::string(name) + ", Phase: " + or_null(phase_key) +
         ", Step: " + or_null(step_key);
}

}  // namespace

int http_code_for(const plan& p) {
  const status s = p.status();
  if (s == status::error) return 417;
  if (s == status::complete) return 200;
  return 202;
}

response list_plans(const plan_manager& plans) { return json_response(200, plans.names()); }

response get_plan(const plan_manager& plans, std::string_view name) {
  const plan* p = plans.find(name);
  if (p == nullptr) return not_found("Plan", name);
  return json_response(http_code_for(*p), p->to_json());
}

response start_plan(plan_manager& plans, std::string_view name, const std::map<std::string, std::string>& parameters) {
  for (const auto& entry : parameters) {
    if (!is_env_name(entry.first)) {
      return text_response(400, "Couldn't parse parameters: " + entry.first +
                                    " is not a valid environment variable name");
    }
  }
  plan* p = plans.find(name);
  if (p == nullptr) return not_found("Plan", name);
  p->set_parameters(parameters);
  if (p->is_complete()) p->restart();
  p->proceed();
  return command_received("start " + std::string(name) + " with parameters: " + format_parameters(parameters));
}

response stop_plan(plan_manager& plans, std::string_view name) {
  plan* p = plans.find(name);
  if (p == nullptr) return not_found("Plan", name);
  p->interrupt();
  p->restart();
  return command_received("stop");
}

response continue_plan(plan_manager& plans, std::string_view name, std::string_view phase_key) {
  plan* p = plans.find(name);
  if (p == nullptr) return not_found("Plan", name);
  if (phase_key.empty()) {
    const status s = p->status();
    if (is_running(s) || s == status::complete) return already_reported();
    p->proceed();
    return command_received("continue");
  }
  phase* ph = p->find_phase(phase_key);
  if (ph == nullptr) return not_found("Phase", phase_key);
  const status s = ph->status();
  if (is_running(s) || s == status::complete) return already_reported();
  ph->proceed();
  return command_received("continue");
}

response interrupt_plan(plan_manager& plans, std::string_view name, std::string_view phase_key) {
  plan* p = plans.find(name);
  if (p == nullptr) return not_found("Plan", name);
  if (phase_key.empty()) {
    if (p->interrupted() || p->is_complete()) return already_reported();
    p->interrupt();
    return command_received("interrupt");
  }
  phase* ph = p->find_phase(phase_key);
  if (ph == nullptr) return not_found("Phase", phase_key);
  if (ph->interrupted() || ph->is_complete()) return already_reported();
  ph->interrupt();
  return command_received("interrupt");
}

response force_complete(plan_manager& plans, std::string_view name, std::string_view phase_key,
                        std::string_view step_key) {
  auto found = find_element(plans, name, phase_key, step_key);
  if (auto* error = std::get_if<response>(&found)) return std::move(*error);
  const bool complete =
      std::visit([](auto* e) { return e->status() == status::complete; }, std::get<element>(found));
  if (complete) return already_reported();
  std::visit([](auto* e) { static_cast<void>(e->force_complete()); }, std::get<element>(found));
  return command_received(element_command("forceComplete", name, phase_key, step_key));
}

response restart(plan_manager& plans, std::string_view name, std::string_view phase_key, std::string_view step_key) {
  auto found = find_element(plans, name, phase_key, step_key);
  if (auto* error = std::get_if<response>(&found)) return std::move(*error);
  const bool pending = std::visit([](auto* e) { return e->status() == status::pending; }, std::get<element>(found));
  if (pending) return already_reported();
  std::visit(
      [](auto* e) {
        e->proceed();
        static_cast<void>(e->restart());
      },
      std::get<element>(found));
  return command_received(element_command("restart", name, phase_key, step_key));
}

}  // namespace ternmq::scheduler::plans
