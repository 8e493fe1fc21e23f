// task_runner: the life of one task, advanced by `poll`.
#include "scheduler/local/task_runner.hpp"

#include <signal.h>

#include <algorithm>
#include <utility>

#include "core/base/log.hpp"
#include "scheduler/local/fetcher.hpp"
#include "scheduler/local/process.hpp"
#include "scheduler/local/sandbox.hpp"

namespace ternmq::scheduler::local {

using state::task_state;

namespace {

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : "; ") + line;
  return out;
}

}  // namespace

task_runner::task_runner(task_checkpoint task, phase initial, const checkpoint_store& checkpoints, clock& time)
    : task_(std::move(task)), checkpoints_(checkpoints), clock_(time), phase_(initial) {}

task_runner::~task_runner() {
  if (extraction_pid_ > 0) kill_and_reap(extraction_pid_);
  // The checks stop with their runners; the task's process is left running on purpose.
}

std::unique_ptr<task_runner> task_runner::launching(task_checkpoint task, pending_launch launch,
                                                    const checkpoint_store& checkpoints, clock& time) {
  std::unique_ptr<task_runner> runner(new task_runner(std::move(task), phase::fetching, checkpoints, time));
  runner->launch_ = std::move(launch);
  runner->state_ = task_state::starting;
  runner->report();
  return runner;
}

std::unique_ptr<task_runner> task_runner::adopted(task_checkpoint task, const checkpoint_store& checkpoints,
                                                  clock& time) {
  std::unique_ptr<task_runner> runner(new task_runner(std::move(task), phase::running, checkpoints, time));
  runner->adopted_ = true;
  runner->process_.emplace(runner->task_.pid, runner->task_.start_time, /*adopted=*/true);
  runner->state_ = task_state::running;
  runner->message_ = "re-attached after a scheduler restart";
  if (runner->task_.ready || !runner->task_.readiness_check) runner->ready_ = true;
  runner->start_checks(time.now());
  return runner;
}

std::unique_ptr<task_runner> task_runner::ended(task_checkpoint task, task_state state, std::string message,
                                                const checkpoint_store& checkpoints, clock& time) {
  std::unique_ptr<task_runner> runner(new task_runner(std::move(task), phase::fetching, checkpoints, time));
  runner->finish(state, std::move(message));
  return runner;
}

backend::task_status task_runner::status() const {
  return backend::task_status{task_.task_id, task_.task_name, state_,         message_,
                              ready_,        healthy_,        task_.agent_id, task_.ip};
}

std::vector<backend::task_status> task_runner::poll() {
  if (phase_ == phase::fetching) advance_fetch();
  if (phase_ == phase::running || phase_ == phase::killing) advance_process();
  if (phase_ == phase::done && !pending_.empty()) checkpoints_.remove(task_.task_id);
  return std::exchange(pending_, {});
}

void task_runner::advance_fetch() {
  if (extraction_pid_ > 0) {
    const auto status = reap_if_exited(extraction_pid_);
    if (!status) return;
    extraction_pid_ = 0;
    if (!exited_successfully(*status)) {
      finish(task_state::failed, "cannot fetch '" + extracting_.string() + "': tar " + describe_wait_status(*status) +
                                     " (see stderr in the sandbox)");
      return;
    }
  }
  if (!launch_.archives.empty()) {
    extracting_ = launch_.archives.front();
    launch_.archives.pop_front();
    auto spawned = spawn(extraction_request(extracting_, task_.sandbox, task_.env));
    if (!spawned) {
      finish(task_state::failed, "cannot fetch '" + extracting_.string() + "': " + spawned.err().message);
      return;
    }
    extraction_pid_ = spawned->pid;
    return;
  }
  start_process();
}

void task_runner::start_process() {
  if (auto written = write_sandbox_files(task_.sandbox, launch_.files); !written) {
    finish(task_state::failed, written.message());
    return;
  }
  spawn_request request;
  request.argv = shell_argv(launch_.cmd);
  request.working_dir = task_.sandbox;
  request.env = task_.env;
  request.stdout_path = task_.sandbox + "/stdout";
  request.stderr_path = task_.sandbox + "/stderr";
  request.rlimits = launch_.rlimits.limits;
  auto spawned = spawn(request);
  if (!spawned) {
    finish(task_state::failed, "cannot start: " + spawned.err().message);
    return;
  }
  task_.pid = spawned->pid;
  task_.start_time = spawned->start_time;
  process_.emplace(task_.pid, task_.start_time, /*adopted=*/false);
  save_checkpoint();
  phase_ = phase::running;
  state_ = task_state::running;
  message_ = joined(launch_.rlimits.warnings);
  for (const auto& warning : launch_.rlimits.warnings)
    TERNMQ_LOG(warning) << "task " << task_.task_id << ": " << warning;
  if (!task_.readiness_check) ready_ = true;
  TERNMQ_LOG(info) << "task " << task_.task_id << " started as pid " << task_.pid << " in " << task_.sandbox;
  launch_ = {};
  start_checks(clock_.now());
  report();
}

void task_runner::advance_process() {
  if (auto status = process_->poll_exit()) {
    on_exit(*status);
    return;
  }
  const auto now = clock_.now();
  if (phase_ == phase::killing) {
    if (!sigkill_sent_ && now >= sigkill_at_) {
      TERNMQ_LOG(info) << "task " << task_.task_id << " outlived its kill grace period; sending SIGKILL";
      process_->signal(SIGKILL);
      sigkill_sent_ = true;
    }
    return;
  }
  run_checks(now);
}

void task_runner::run_checks(clock::time_point now) {
  if (readiness_) {
    if (auto result = readiness_->poll(now); result && result->passed) {
      readiness_.reset();
      ready_ = true;
      task_.ready = true;
      save_checkpoint();
      report();
    }
  }
  if (health_) {
    if (auto result = health_->poll(now)) {
      const health_verdict verdict = health_policy_->record(*result);
      if (verdict.healthy_changed) {
        healthy_ = health_policy_->healthy();
        report();
      }
      if (verdict.kill) {
        TERNMQ_LOG(warning) << "task " << task_.task_id << ": " << verdict.message;
        begin_kill(kill_cause::health_check, verdict.message);
      }
    }
  }
}

void task_runner::start_checks(clock::time_point now) {
  if (const auto& r = task_.readiness_check; r && !task_.ready) {
    readiness_ = std::make_unique<check_runner>(check_settings{"readiness", r->cmd, r->interval, r->delay, r->timeout},
                                                task_.env, task_.sandbox, now);
  }
  if (const auto& h = task_.health_check) {
    health_ = std::make_unique<check_runner>(check_settings{"health", h->cmd, h->interval, h->delay, h->timeout},
                                             task_.env, task_.sandbox, now);
    health_policy_.emplace(h->grace_period, h->max_consecutive_failures, now);
  }
}

void task_runner::stop_checks() {
  readiness_.reset();
  health_.reset();
}

void task_runner::kill() { begin_kill(kill_cause::requested, "killed on request"); }

void task_runner::begin_kill(kill_cause cause, std::string message) {
  if (phase_ == phase::fetching) {
    if (extraction_pid_ > 0) kill_and_reap(extraction_pid_);
    extraction_pid_ = 0;
    finish(task_state::killed, "killed on request before it started");
    return;
  }
  if (phase_ != phase::running) return;
  phase_ = phase::killing;
  kill_cause_ = cause;
  kill_message_ = std::move(message);
  stop_checks();
  process_->signal(SIGTERM);
  sigkill_at_ = clock_.now() + task_.kill_grace_period;
  TERNMQ_LOG(info) << "task " << task_.task_id << ": SIGTERM sent (" << kill_message_ << ")";
}

void task_runner::on_exit(int wait_status) {
  stop_checks();
  if (kill_cause_ == kill_cause::requested) {
    finish(task_state::killed, kill_message_ + " (" + describe_wait_status(wait_status) + ")");
  } else if (kill_cause_ == kill_cause::health_check) {
    finish(task_state::failed, kill_message_);
  } else if (wait_status == -1) {
    finish(task_state::failed, adopted_ ? "exited while the scheduler was away or its exit status is unknown"
                                        : "exited with an unknown status");
  } else {
    finish(exited_successfully(wait_status) ? task_state::finished : task_state::failed,
           describe_wait_status(wait_status));
  }
}

void task_runner::finish(task_state state, std::string message) {
  phase_ = phase::done;
  stop_checks();
  state_ = state;
  message_ = std::move(message);
  TERNMQ_LOG(info) << "task " << task_.task_id << ": " << to_string(state) << " (" << message_ << ")";
  report();
}

void task_runner::save_checkpoint() const {
  if (auto saved = checkpoints_.save(task_); !saved) {
    TERNMQ_LOG(error) << saved.message() << "; the task will not be re-attached after a scheduler restart";
  }
}

clock::time_point task_runner::next_deadline() const {
  auto next = clock::time_point::max();
  if (readiness_) next = std::min(next, readiness_->next_deadline());
  if (health_) next = std::min(next, health_->next_deadline());
  if (phase_ == phase::killing && !sigkill_sent_) next = std::min(next, sigkill_at_);
  return next;
}

}  // namespace ternmq::scheduler::local
