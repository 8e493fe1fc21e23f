// An ordered list of steps run under one strategy (SDK `DefaultPhase`); e.g. the "broker" phase of
// the deploy plan, one step per broker pod. Owned by its `plan`; not thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/plan/status.hpp"
#include "scheduler/plan/step.hpp"
#include "scheduler/plan/strategy.hpp"

namespace ternmq::scheduler::plans {

class phase {
 public:
  // With a canary strategy the first two PENDING steps are interrupted here: each waits for one
  // `proceed()` (SDK `CanaryStrategy`). Throws std::invalid_argument for an empty name or two steps
  // with the same name.
  phase(std::string name, plans::strategy strategy, std::vector<step> steps, std::vector<std::string> errors = {});

  // Derived from the phase's path in its plan (see `element_id`); from the name alone until then.
  const std::string& id() const { return id_; }
  const std::string& name() const { return name_; }
  plans::strategy strategy() const { return strategy_; }
  std::span<step> steps() { return steps_; }
  std::span<const step> steps() const { return steps_; }

  // The phase's own errors followed by its steps' errors.
  std::vector<std::string> errors() const;
  void add_error(std::string message) { errors_.push_back(std::move(message)); }

  // Rolled up from the steps by `aggregate_status`.
  plans::status status() const;
  bool is_complete() const { return status() == plans::status::complete; }

  // An interrupted phase offers no candidates; steps already under way carry on. During a canary,
  // the phase counts as interrupted while no released canary step is left to finish, and
  // `interrupt()` does nothing (the canary already holds the phase); `proceed()` releases the next
  // canary step, or once none is held, clears the interruption.
  bool interrupted() const;
  void interrupt();
  void proceed();
  // Every step back to PENDING, or to COMPLETE (steps with errors are left as they are).
  void restart();
  void force_complete();

  // The steps the strategy offers now (SDK `getCandidates`): none when interrupted; during a
  // canary, the released canary steps; otherwise, under the serial or parallel rule, steps that are
  // not COMPLETE, have no errors, are not interrupted and whose pod is not in `busy`. These include
  // steps already under way; see `plan::candidates()` for the ones to launch.
  std::vector<step*> strategy_candidates(const asset_set& busy = {});
  std::vector<const step*> strategy_candidates(const asset_set& busy = {}) const;

  // The step whose id or name is `key`, or null.
  step* find_step(std::string_view key);
  const step* find_step(std::string_view key) const;

 private:
  friend class plan;
  void set_path(const std::string& plan_name);
  // The first canary step still waiting for its `proceed()`, or null once the canary is over.
  step* held_canary();
  const step* held_canary() const;
  template <class Step>
  static std::vector<Step*> candidates_of(std::span<Step> steps, const phase& self, const asset_set& busy);

  std::string id_;
  std::string name_;
  plans::strategy strategy_;
  std::vector<step> steps_;
  std::vector<std::string> errors_;
  bool interrupted_ = false;
  std::vector<std::size_t> canary_steps_;  // indexes into `steps_`
};

}  // namespace ternmq::scheduler::plans
