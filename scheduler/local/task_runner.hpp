// One task of the local backend, from its launch to its terminal status:
//
//   fetching --archives extracted, files written, process spawned--> running
//   running  --kill() or health check failed: SIGTERM to the group--> killing
//   killing  --grace period over: SIGKILL to the group--> killing
//   any      --process gone, fetch failed, kill before start--> done
//
// `poll` advances it and returns the status updates it produced (TASK_STARTING comes at launch,
// TASK_RUNNING when the process is spawned, TASK_RUNNING with `ready`/`healthy` as checks decide,
// then one terminal status). When the terminal status is handed out, the task's checkpoint is
// removed and the runner is over.
//
// Owned by `local_backend`; not thread-safe. Destroying a runner stops its checks and an archive
// extraction in progress, never the task's process: that must outlive a scheduler restart.
#pragma once

#include <sys/types.h>

#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/backend/task_backend.hpp"
#include "scheduler/local/check_runner.hpp"
#include "scheduler/local/clock.hpp"
#include "scheduler/local/health_policy.hpp"
#include "scheduler/local/rlimits.hpp"
#include "scheduler/local/task_checkpoint.hpp"
#include "scheduler/local/watched_process.hpp"

namespace ternmq::scheduler::local {

// What a launch still needs once its sandbox has been created and its URIs linked.
struct pending_launch {
  std::string cmd;
  std::vector<backend::sandbox_file> files;
  std::deque<std::filesystem::path> archives;  // to extract, in order
  rlimit_plan rlimits;
};

class task_runner {
 public:
  // A launch whose sandbox is ready: reports TASK_STARTING; `poll` does the rest. `task` has no
  // pid yet.
  static std::unique_ptr<task_runner> launching(task_checkpoint task, pending_launch launch,
                                                const checkpoint_store& checkpoints, clock& time);
  // A task re-attached from its checkpoint after a restart: RUNNING, its checks restarted (the
  // readiness check only if it had not passed yet).
  static std::unique_ptr<task_runner> adopted(task_checkpoint task, const checkpoint_store& checkpoints, clock& time);
  // A task over before it ran (refused request, failed sandbox, dead at recovery): its one
  // status, `state` with `message`, comes with the next `poll`.
  static std::unique_ptr<task_runner> ended(task_checkpoint task, state::task_state state, std::string message,
                                            const checkpoint_store& checkpoints, clock& time);

  ~task_runner();
  task_runner(const task_runner&) = delete;
  task_runner& operator=(const task_runner&) = delete;

  std::vector<backend::task_status> poll();
  // SIGTERM to the group now, SIGKILL after the grace period; TASK_KILLED when it is gone. A
  // kill before the process started ends the launch at once. Ignored once killing or done.
  void kill();

  backend::task_status status() const;
  const task_checkpoint& task() const { return task_; }
  // Its resources, ports and volumes are taken until it is done.
  bool holds_resources() const { return phase_ != phase::done; }
  // Done, and the terminal status has been handed out by `poll`.
  bool is_over() const { return phase_ == phase::done && pending_.empty(); }
  // When timed work is due (a check, a SIGKILL); `time_point::max()` when none.
  clock::time_point next_deadline() const;
  bool has_pending_statuses() const { return !pending_.empty(); }

 private:
  enum class phase { fetching, running, killing, done };
  enum class kill_cause { none, requested, health_check };

  task_runner(task_checkpoint task, phase initial, const checkpoint_store& checkpoints, clock& time);

  void advance_fetch();
  void start_process();
  void advance_process();
  void run_checks(clock::time_point now);
  void start_checks(clock::time_point now);
  void stop_checks();
  void begin_kill(kill_cause cause, std::string message);
  void on_exit(int wait_status);
  void finish(state::task_state state, std::string message);
  void save_checkpoint() const;
  void report() { pending_.push_back(status()); }

  task_checkpoint task_;
  const checkpoint_store& checkpoints_;
  clock& clock_;
  phase phase_;
  bool adopted_ = false;

  pending_launch launch_;
  pid_t extraction_pid_ = 0;
  std::filesystem::path extracting_;

  std::optional<watched_process> process_;
  std::unique_ptr<check_runner> readiness_;
  std::unique_ptr<check_runner> health_;
  std::optional<health_policy> health_policy_;

  kill_cause kill_cause_ = kill_cause::none;
  std::string kill_message_;
  clock::time_point sigkill_at_;
  bool sigkill_sent_ = false;

  state::task_state state_ = state::task_state::staging;
  std::string message_;
  std::optional<bool> ready_;
  std::optional<bool> healthy_;
  std::vector<backend::task_status> pending_;
};

}  // namespace ternmq::scheduler::local
