// Runs one check (readiness or health) of one task: its command every `interval` (start to
// start), the first after `delay`, never two at once, each in its own process group with the
// task's environment and sandbox, killed with its group when it outlives `timeout`. A result is
// "passed" for exit 0.
//
// Owned by the task it checks. Stopping or destroying a runner kills a check still running and
// reaps it (SIGKILL makes that immediate), so no check outlives its task and no zombie is left.
// Driven by `poll` from the scheduler's loop; never blocks except to reap a killed check.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

#include "scheduler/local/clock.hpp"
#include "scheduler/local/task_environment.hpp"

namespace ternmq::scheduler::local {

struct check_settings {
  std::string kind;  // "readiness" or "health": names its output file and its messages
  std::string cmd;
  std::chrono::seconds interval{0};  // 0 is taken as 1 s: a check is not a busy loop
  std::chrono::seconds delay{0};
  std::chrono::seconds timeout{0};  // 0: no timeout
};

struct check_result {
  bool passed = false;
  std::string reason;  // why it failed: "exited with status 1: <last output line>", "timed out after 2s"
  clock::time_point started_at;
};

class check_runner {
 public:
  // The first check runs at `start + delay`. Output of each run replaces the previous one in
  // `<sandbox>/<kind>_check.log`.
  check_runner(check_settings settings, environment env, std::string sandbox, clock::time_point start);
  ~check_runner();
  check_runner(const check_runner&) = delete;
  check_runner& operator=(const check_runner&) = delete;

  // Reaps a finished check or kills one past its timeout (returning its result), or starts the
  // next one when it is due. At most one result per call.
  std::optional<check_result> poll(clock::time_point now);

  // When `poll` has timed work to do (the next start, or the running check's timeout). While a
  // check runs, its exit is noticed only by polling: the caller polls often anyway.
  clock::time_point next_deadline() const;
  bool is_running() const { return running_pid_ > 0; }

  // Kills a running check; `poll` does nothing afterwards.
  void stop();

 private:
  check_result finish(int wait_status);
  std::string output_path() const;

  check_settings settings_;
  environment env_;
  std::string sandbox_;
  clock::time_point next_start_;
  bool stopped_ = false;
  pid_t running_pid_ = 0;
  clock::time_point running_since_;
};

}  // namespace ternmq::scheduler::local
