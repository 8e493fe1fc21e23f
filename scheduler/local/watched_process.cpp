// watched_process: waitid for our children, /proc for re-attached processes.
#include "scheduler/local/watched_process.hpp"

#include <signal.h>
#include <sys/wait.h>

#include "scheduler/local/proc_stat.hpp"
#include "scheduler/local/process.hpp"

namespace ternmq::scheduler::local {

std::optional<int> watched_process::poll_exit() {
  if (!exit_status_) exit_status_ = adopted_ ? poll_adopted_exit() : reap_if_exited(pid_);
  return exit_status_;
}

std::optional<int> watched_process::poll_adopted_exit() {
  const auto stat = read_proc_stat(pid_);
  if (!stat || stat->start_time != start_time_) {
    // Gone (another pid with this number is someone else). Whatever is left of its group is
    // still ours to stop: the group id stays reserved while any member lives.
    signal_group(pid_, SIGKILL);
    return -1;
  }
  if (stat->state != 'Z' && stat->state != 'X') return std::nullopt;
  // A zombie: its status is known to its parent only. If that is us, reap it (the zombie keeps
  // the pid ours, so this cannot reap anyone else).
  auto status = reap_if_exited(pid_);
  if (status && *status != -1) return status;
  signal_group(pid_, SIGKILL);  // not ours: its parent reaps it
  return -1;
}

void watched_process::signal(int signal) const {
  if (exit_status_) return;
  // A process not ours may have gone unnoticed since the last poll, and its pid been reused.
  if (adopted_ && !is_same_process(pid_, start_time_)) return;
  signal_group(pid_, signal);
}

}  // namespace ternmq::scheduler::local
