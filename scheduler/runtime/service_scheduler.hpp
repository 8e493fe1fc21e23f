// The scheduler's engine: brings the tasks to the target configuration through the plans, the way
// dcos-commons' DefaultScheduler does, over any `task_backend`.
//
// Each `tick()` (the event loop calls it every 100 ms or so): take the backend's status updates
// into the task records and report them to the step working on that pod; put pods whose tasks
// died outside any plan into `recovery`; then work on every candidate step of the plans: adopt a
// pod already running the target configuration, kill one that runs an older one (or that an
// operator restarts or replaces) and wait for it to end, or choose an offer and launch. A step
// completes when its task runs the target configuration and has passed its readiness check; with
// a serial phase the next pod is only touched then, which makes a configuration change a rolling
// restart that keeps N-1 nodes ready.
//
// Configurations: `apply_configuration` validates a newly rendered spec against the target. An
// accepted change becomes the new target (new id, stored with the old ones) and rebuilds `deploy`
// (svc.yml's `update` plan once a deployment has completed); pods whose spec did not change are
// re-labelled to the new id and keep running. A refused change keeps the old target and puts the
// reasons on `deploy` as errors (GET /v1/plans/deploy answers 417).
//
// Not thread-safe: the event loop that runs `tick()` also runs the HTTP API.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "scheduler/api/scheduler_operations.hpp"
#include "scheduler/backend/task_backend.hpp"
#include "scheduler/runtime/launch_backoff.hpp"
#include "scheduler/runtime/plan_factory.hpp"
#include "scheduler/spec/config_validation.hpp"
#include "scheduler/state/state_store.hpp"

namespace ternmq::scheduler::runtime {

struct scheduler_settings {
  std::string api_host = "127.0.0.1";  // SCHEDULER_API_HOSTNAME given to tasks
  std::uint16_t api_port = 0;
  launch_backoff::settings backoff;
};

// What `apply_configuration` did.
struct configuration_outcome {
  enum class kind { first, unchanged, accepted, refused } what = kind::first;
  std::string target_id;                        // the target after the call
  std::vector<spec::config_error> errors;       // when refused
  std::vector<std::string> pods_to_roll;        // when accepted: pod instances that restart
};

class service_scheduler final : public api::scheduler_operations {
 public:
  service_scheduler(state::state_store& store, backend::task_backend& backend, scheduler_settings settings);

  // Makes `config` (already parsed into `spec`) the target if it is new and allowed, rebuilds the
  // plans, and says what happened. At start-up, call it with the freshly rendered configuration;
  // on `update start` again. Errors only for state-store failures.
  core::result<configuration_outcome> apply_configuration(const state::stored_configuration& config,
                                                          model::service_spec spec);

  // Takes the backend's view of every task (after a restart: the tasks it re-attached to) into
  // the records; tasks it does not know are LOST. Call once after the first apply_configuration.
  void reconcile();

  void tick();

  // Stops every task for good (the scheduler is going away with `--stop-on-exit`, or uninstalling):
  // kills them, and from now on `tick` only records what the backend reports; nothing is
  // relaunched. Their records end KILLED, so the next start relaunches them in place.
  void stop_all_tasks();
  // True once no task is left running or starting.
  bool all_tasks_ended() const;

  // The API port given to tasks as SCHEDULER_API_PORT, once the API is bound.
  void set_api_port(std::uint16_t port) { settings_.api_port = port; }

  // Called with one line per plan step whose status changed ("deploy: node-1:[broker] STARTING"),
  // and per plan reaching COMPLETE or ERROR.
  void on_progress(std::function<void(const std::string&)> callback) { progress_ = std::move(callback); }

  // scheduler_operations
  plans::plan_manager& plans() override { return plans_; }
  const state::state_store& store() const override { return store_; }
  const model::service_spec& target_spec() const override { return target_spec_; }
  const std::string& target_config_id() const override { return target_id_; }
  core::result<api::pod_command_result> restart_pod(std::string_view pod_instance) override;
  core::result<api::pod_command_result> replace_pod(std::string_view pod_instance) override;

 private:
  // service_scheduler.cpp
  void handle_status(const backend::task_status& status);
  void schedule_recovery();
  void rebuild_recovery_plan();
  void report_progress();
  bool pod_is_current(const std::string& pod_instance) const;
  void rebuild_deploy_plan(const std::vector<spec::config_error>& errors = {});
  // pod_launcher.cpp
  void work_on(plans::step& step);
  bool launch(plans::step& step, const model::pod_spec& pod, std::uint32_t index,
              const std::vector<const model::task_spec*>& tasks);
  // configuration_updater.cpp
  core::status relabel_unchanged_pods(const model::service_spec& old_spec, const model::service_spec& new_spec,
                                      const std::string& new_id);
  void prune_configurations();

  state::state_store& store_;
  backend::task_backend& backend_;
  scheduler_settings settings_;
  plans::plan_manager plans_;
  model::service_spec target_spec_;
  std::string target_id_;
  std::vector<spec::config_error> refused_;       // the last refused change, shown on deploy
  std::vector<recovery_request> recovering_;      // pods the recovery plan relaunches
  std::set<std::string, std::less<>> restarting_; // pods an operator restarted, until relaunched
  std::set<std::string, std::less<>> killing_;    // task ids killed to be replaced
  launch_backoff backoff_;
  std::map<std::string, std::string> last_decline_;  // pod -> last logged "no offer" reason
  std::map<std::string, std::string> shown_;         // element -> status last reported
  std::function<void(const std::string&)> progress_;
  bool stopping_ = false;
};

}  // namespace ternmq::scheduler::runtime
