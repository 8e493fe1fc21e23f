// /v1/health: the rules of health_query.hpp, evaluated in order over the monitored plans.
#include "scheduler/api/health_query.hpp"

#include <map>
#include <optional>
#include <string_view>

namespace ternmq::scheduler::api {
namespace {

// The step statuses of `p`, counted.
std::map<plans::status, int> count_steps(const plans::plan& p) {
  std::map<plans::status, int> counts;
  for (const plans::phase& ph : p.phases()) {
    for (const plans::step& s : ph.steps()) ++counts[s.status()];
  }
  return counts;
}

std::string describe(const plans::plan& p) {
  std::string out = "plan " + p.name() + " is " + std::string(to_string(p.status())) + ", steps:";
  const auto counts = count_steps(p);
  if (counts.empty()) return out + " none";
  for (const auto& [s, n] : counts) out += " " + std::string(to_string(s)) + "=" + std::to_string(n);
  return out;
}

// The code for a monitored plan that is not complete: waiting, delayed, awaiting resources or
// starting.
int incomplete_code(const plans::plan& p, int pending_code, int starting_code) {
  const plans::status s = p.status();
  if (s == plans::status::waiting) return 207;
  if (s == plans::status::delayed) return 208;
  const auto counts = count_steps(p);
  auto has = [&](plans::status st) { return counts.contains(st); };
  if (has(plans::status::pending) || has(plans::status::prepared)) return pending_code;
  if (has(plans::status::starting) || has(plans::status::started)) return starting_code;
  if (has(plans::status::waiting)) return 207;
  if (has(plans::status::delayed)) return 208;
  return starting_code;
}

bool name_contains(const plans::plan& p, std::string_view word) { return p.name().find(word) != std::string::npos; }

// One rule: the code when it applies, and the reason line either way.
struct rule_result {
  std::optional<int> code;
  std::string reason;
};

rule_result plan_rule(const plans::plan* p, std::string_view what, int pending_code, int starting_code) {
  if (p == nullptr) return {std::nullopt, std::string(what) + ": no such plan"};
  if (p->is_complete()) return {std::nullopt, std::string(what) + ": complete (" + describe(*p) + ")"};
  const int code = incomplete_code(*p, pending_code, starting_code);
  return {code, std::string(what) + ": " + std::to_string(code) + " (" + describe(*p) + ")"};
}

}  // namespace

health_report evaluate_health(const plans::plan_manager& plans, const std::vector<state::task_record>& tasks) {
  const plans::plan* deploy = plans.find(plans::k_deploy_plan);
  const plans::plan* recovery = plans.find(plans::k_recovery_plan);
  std::vector<rule_result> rules;

  rule_result errors{std::nullopt, "errors: none in the monitored plans"};
  for (const plans::plan* p : {deploy, recovery}) {
    if (p == nullptr || errors.code) continue;
    const auto list = p->errors();
    if (!list.empty() || p->has_errors()) {
      errors = {503, "errors: 503 (plan " + p->name() + ": " + (list.empty() ? std::string("ERROR") : list.front()) + ")"};
    }
  }
  rules.push_back(errors);
  rules.push_back(deploy == nullptr ? rule_result{318, "initializing: 318 (no deploy plan yet)"}
                                    : rule_result{std::nullopt, "initializing: done"});
  rules.push_back(plan_rule(deploy, "deploying", 204, 202));
  rules.push_back(plan_rule(recovery, "recovering", 203, 205));

  rule_result degraded{std::nullopt, "degraded: every running task passes its health check"};
  for (const state::task_record& t : tasks) {
    if (t.state == state::task_state::running && t.healthy == false) {
      degraded = {206, "degraded: 206 (task " + t.task_name + " failed its last health check)"};
      break;
    }
  }
  rules.push_back(degraded);

  rule_result restoring{std::nullopt, "restoring: no restore plan running"};
  rule_result backing_up{std::nullopt, "backing up: no backup plan running"};
  for (const std::string& name : plans.names()) {
    const plans::plan* p = plans.find(name);
    if (p == nullptr || p->is_complete() || p->interrupted()) continue;
    if (!restoring.code && name_contains(*p, "restore")) restoring = {321, "restoring: 321 (plan " + name + ")"};
    if (!backing_up.code && name_contains(*p, "backup")) backing_up = {320, "backing up: 320 (plan " + name + ")"};
  }
  rules.push_back(restoring);
  rules.push_back(backing_up);

  health_report report;
  std::optional<int> code;
  for (const rule_result& r : rules) {
    if (!code && r.code) code = r.code;
    report.reasons.push_back(r.reason);
  }
  report.code = code.value_or(200);
  report.reasons.push_back(report.code == 200 ? "running: 200 (deploy and recovery complete)" : "running: no");
  return report;
}

response health(const plans::plan_manager& plans, const std::vector<state::task_record>& tasks, bool verbose) {
  const health_report report = evaluate_health(plans, tasks);
  nlohmann::json body{{"value", report.code}};
  if (verbose) body["reasons"] = report.reasons;
  return json_answer(report.code, std::move(body));
}

}  // namespace ternmq::scheduler::api
