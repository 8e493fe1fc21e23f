// One unit of plan work: bring one pod instance (e.g. "broker-0") to its target (SDK
// `DeploymentStep`). A step never talks to a cluster backend: the scheduler takes it from
// `plan::candidates()`, does the offer work, and reports what happened through the `on_*` calls.
// Owned by its `phase`; not thread-safe (the scheduler's event loop owns all plans).
//
//   PENDING --start()--> PREPARED --on_launched()--> STARTING --on_running()--> STARTED
//                                                        |                          |
//                                                        +--------on_ready()--------+--> COMPLETE
//   on_failed(reason): PREPARED/STARTING/STARTED -> PENDING (retry; the reason is kept for the message)
//   on_delayed() / on_delay_expired(): PENDING shown as DELAYED during launch backoff
//   restart(): any -> PENDING;  force_complete(): any -> COMPLETE;  errors: ERROR, for good
//   interrupt(): a PENDING or PREPARED step is shown as WAITING and is no longer a candidate;
//                a step already STARTING or STARTED carries on to COMPLETE.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "scheduler/plan/status.hpp"

namespace ternmq::scheduler::plans {

// Pod instance names ("broker-0") that some step is working on: the SDK's "dirty assets".
using asset_set = std::set<std::string, std::less<>>;

class step {
 public:
  // `pod_instance` is the asset the step works on ("broker-0"); it may be empty for a step that
  // touches no pod. `initial` is `pending` (work to do) or `complete` (the pod already runs the
  // target config, as found at start-up). Non-empty `errors` make the step ERROR.
  // Throws std::invalid_argument for an empty name or another `initial` status.
  step(std::string name, std::string pod_instance, plans::status initial = plans::status::pending,
       std::vector<std::string> errors = {});

  // Derived from the step's path in its plan (see `element_id`); the name alone until then.
  const std::string& id() const { return id_; }
  const std::string& name() const { return name_; }
  const std::string& pod_instance() const { return pod_instance_; }

  // What the API shows: ERROR when there are errors; WAITING when interrupted while PENDING or
  // PREPARED; DELAYED when backing off while PENDING; the progress otherwise.
  plans::status status() const;
  // The stored progress: PENDING, PREPARED, STARTING, STARTED or COMPLETE.
  plans::status progress() const { return progress_; }
  bool interrupted() const { return interrupted_; }
  bool delayed() const { return delayed_; }
  const std::vector<std::string>& errors() const { return errors_; }
  // The reason given to the last `on_failed`, until the step completes or is restarted.
  const std::string& last_failure() const { return last_failure_; }
  // "'broker-0:[node]' has status: 'PENDING'." plus " Last failure: <reason>." when there is one.
  std::string message() const;

  bool is_complete() const { return status() == plans::status::complete; }
  // True while the step holds its pod: status PREPARED, STARTING or STARTED (the SDK's dirty asset).
  bool holds_asset() const;
  // True while launch work may be under way: progress PREPARED, STARTING or STARTED, even when
  // interrupted. Task events for the pod belong to this step.
  bool is_working() const;
  // True when the scheduler may work on the step now (its status is PENDING or PREPARED);
  // `plan::candidates()` also applies the strategies.
  bool is_launchable() const;

  // Owner-driven transitions. Each returns false, changing nothing, when the event does not apply
  // to the current state (a stale or duplicate event).
  bool start();                        // PENDING|PREPARED -> PREPARED; not when interrupted or delayed
  bool on_launched();                  // PREPARED -> STARTING
  bool on_running();                   // STARTING|STARTED -> STARTED (waiting for readiness)
  bool on_ready();                     // STARTING|STARTED -> COMPLETE
  bool on_failed(std::string reason);  // PENDING..STARTED -> PENDING
  bool on_delayed();                   // PENDING: shown as DELAYED
  bool on_delay_expired();             // DELAYED -> PENDING
  // Marks the step invalid for good: its status is ERROR from now on; restart and force-complete
  // are refused. A fixed config builds a new plan.
  void add_error(std::string message);

  // Operator commands.
  void interrupt() { interrupted_ = true; }
  void proceed() { interrupted_ = false; }
  bool restart();         // -> PENDING, clearing delay and last failure; false when ERROR
  bool force_complete();  // -> COMPLETE; false when ERROR

 private:
  friend class phase;
  void set_path(const std::string& parent_path);

  std::string id_;
  std::string name_;
  std::string pod_instance_;
  plans::status progress_;
  bool interrupted_ = false;
  bool delayed_ = false;
  std::string last_failure_;
  std::vector<std::string> errors_;
};

}  // namespace ternmq::scheduler::plans
