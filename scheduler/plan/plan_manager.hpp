// Holds the service's plans and arbitrates between them (SDK `DefaultPlanCoordinator` with its
// `PlanManager`s). Plans run side by side, as in the SDK: `deploy` while it rolls out, `recovery`
// relaunching failed pods meanwhile, `decommission`, and operator-started custom plans. A pod is
// worked on by one step at a time, and a plan earlier in priority order (deploy, recovery,
// decommission, then the others in the order added) gets it first: the SDK's "dirty assets".
// Pure; not thread-safe (the scheduler's event loop owns it). Non-copyable: steps handed out by
// `candidates()` point into it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/plan/plan.hpp"
#include "scheduler/plan/step.hpp"

namespace ternmq::scheduler::plans {

inline constexpr std::string_view k_deploy_plan = "deploy";
inline constexpr std::string_view k_update_plan = "update";
inline constexpr std::string_view k_recovery_plan = "recovery";
inline constexpr std::string_view k_decommission_plan = "decommission";

// A step to work on now, and the plan it belongs to (for the plan's parameters, for instance).
struct candidate {
  plan* owner = nullptr;
  step* work = nullptr;
};

class plan_manager {
 public:
  plan_manager() = default;
  plan_manager(const plan_manager&) = delete;
  plan_manager& operator=(const plan_manager&) = delete;

  // Adds `p` in priority order. Custom plans are added interrupted (the SDK's
  // `createInterrupted`) so that they wait for `POST /v1/plans/<name>/start`.
  // Throws std::invalid_argument if a plan with that name is already held.
  plan& add(plan p, bool interrupted = false);
  // Replaces the plan of the same name (for a rebuilt `recovery` plan) or adds it. Steps of the
  // replaced plan are gone: pointers to them must not be used afterwards.
  plan& replace(plan p);

  plan* find(std::string_view name);
  const plan* find(std::string_view name) const;
  // Plan names in priority order, as `GET /v1/plans` lists them.
  std::vector<std::string> names() const;
  // True while some plan is not COMPLETE (the scheduler should revive offers).
  bool has_operations() const;

  // The steps to work on now across all plans, in priority order: each plan's `candidates()`,
  // without pods another plan's step holds and with each pod given to one step at most. Plans
  // that are interrupted offer none. Pointers stay valid until the plan is replaced.
  std::vector<candidate> candidates();
  // The pods held by some step of any plan.
  asset_set held_assets() const;
  // The step that a task event for `pod_instance` belongs to: the first working step
  // (`step::is_working`) in priority order, or null when no plan is working on that pod.
  step* working_step(std::string_view pod_instance);

 private:
  std::vector<std::unique_ptr<plan>> plans_;
};

// The plan to serve as `deploy` (SDK `SchedulerBuilder.selectDeployPlan`): once a deployment has
// completed (the persisted `last-completed-update-type`), a service that defines an `update` plan
// rolls config changes with it, served under the name "deploy" so clients keep watching
// `/v1/plans/deploy`; before that, or without `update`, the `deploy` plan itself.
plan select_deploy_plan(plan deploy, std::optional<plan> update, bool deployment_completed);

}  // namespace ternmq::scheduler::plans
