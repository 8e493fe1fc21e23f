// A plan: phases of steps that bring the service to a target (SDK `DefaultPlan`), e.g. `deploy`
// with one phase per pod type. Pure: the scheduler asks `candidates()` for the steps to work on
// and reports task events to those steps; operators interrupt, continue, restart and
// force-complete through `plan_queries`. Plans are rebuilt at every scheduler start, so operator
// overrides are not persisted (as in the SDK). Not thread-safe; owned by the `plan_manager`.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "scheduler/plan/phase.hpp"
#include "scheduler/plan/status.hpp"
#include "scheduler/plan/step.hpp"
#include "scheduler/plan/strategy.hpp"

namespace ternmq::scheduler::plans {

class plan {
 public:
  // `strategy` orders the phases (the svc.yml `plans.<name>.strategy`; serial by default there).
  // Phase and step ids are derived from "<plan>/<phase>[/<step>]". Throws std::invalid_argument
  // for an empty name, two phases with the same name, or a canary strategy (phases only).
  plan(std::string name, plans::strategy strategy, std::vector<phase> phases, std::vector<std::string> errors = {});

  const std::string& name() const { return name_; }
  // A copy under another name, with ids derived from it (how `update` is served as `deploy`).
  plan with_name(std::string name) const;
  plans::strategy strategy() const { return strategy_; }
  std::span<phase> phases() { return phases_; }
  std::span<const phase> phases() const { return phases_; }

  // The plan's own errors (e.g. config validation errors on `deploy`), then its phases' and steps'.
  std::vector<std::string> errors() const;
  void add_error(std::string message) { errors_.push_back(std::move(message)); }

  // Rolled up from the phases by `aggregate_status`.
  plans::status status() const;
  bool is_complete() const { return status() == plans::status::complete; }
  bool has_errors() const { return status() == plans::status::error; }

  // Plan-level interruption stops every phase from offering candidates; steps under way carry on.
  bool interrupted() const { return interrupted_; }
  void interrupt() { interrupted_ = true; }
  void proceed() { interrupted_ = false; }
  // Every step back to PENDING / to COMPLETE (steps with errors are left as they are).
  void restart();
  void force_complete();

  // Operator parameters from `POST /v1/plans/<name>/start` (`-p K=V`), for the tasks it launches.
  const std::map<std::string, std::string>& parameters() const { return parameters_; }
  void set_parameters(std::map<std::string, std::string> parameters) { parameters_ = std::move(parameters); }

  // The steps to work on now, in plan order: the strategies' candidates (see
  // `phase::strategy_candidates`) whose status is PENDING or PREPARED, skipping pods in `busy`.
  // Empty when the plan is interrupted. Pointers stay valid as long as the plan lives.
  std::vector<step*> candidates(const asset_set& busy = {});
  // Pods this plan's steps hold now (see `step::holds_asset`).
  asset_set held_assets() const;
  // The step launching or running work on `pod_instance` (see `step::is_working`), or null.
  step* working_step(std::string_view pod_instance);

  // The phase whose id or name is `key`, or null.
  phase* find_phase(std::string_view key);
  const phase* find_phase(std::string_view key) const;

  // The SDK's PlanInfo: {"phases":[{"id","name","steps":[{"id","name","status","message"}],
  // "strategy","status"}],"errors":[...],"strategy":"serial","status":"IN_PROGRESS"}.
  nlohmann::json to_json() const;

 private:
  std::vector<phase*> phase_candidates();
  std::vector<const phase*> phase_candidates() const;

  std::string name_;
  plans::strategy strategy_;
  std::vector<phase> phases_;
  std::vector<std::string> errors_;
  bool interrupted_ = false;
  std::map<std::string, std::string> parameters_;
};

}  // namespace ternmq::scheduler::plans
