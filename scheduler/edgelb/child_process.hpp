// One child program, started with posix_spawn in a process group of its own, with stdin from
// /dev/null and stdout/stderr appended to files: what haproxy_process needs to run HAProxy and its
// configuration checks without touching anything else the scheduler runs.
//
// posix_spawn rather than fork: the scheduler has threads, and nothing may run between fork and
// exec in a threaded program but async-signal-safe calls. The child gets a clean slate: every
// signal back to its default action and none blocked (HAProxy relies on SIGUSR1 and SIGTTOU, which
// a parent may ignore or block), and no file descriptor but 0-2 (the scheduler's sockets must not
// leak into a process that outlives a reload).
//
// Only this child is ever waited for (`waitpid(pid)`, never `waitpid(-1)`), so other children of
// the scheduler (the node tasks in local mode) are left to their owners. Signals go to the
// child's group only while the child has not been reaped, so a recycled id is never signalled.
//
// Owned by one caller; not thread-safe. Destroying a child that still runs kills its group with
// SIGKILL and reaps it (blocking until the kernel has done so, which is immediate in practice).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.hpp"

namespace ternmq::scheduler::edgelb {

class child_process {
 public:
  // Starts `argv[0]` (an absolute path; no PATH search) with `argv`. The output files are created
  // if needed and appended to. Fails when the program cannot be started (posix_spawn's error).
  static core::result<child_process> spawn(const std::vector<std::string>& argv,
                                           const std::filesystem::path& stdout_path,
                                           const std::filesystem::path& stderr_path);

  child_process(child_process&& other) noexcept;
  child_process& operator=(child_process&& other) noexcept;
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  ~child_process();

  pid_t pid() const { return pid_; }
  // True until the child has been reaped by `try_reap`, `wait_until` or `kill_and_reap`.
  bool running() const { return pid_ > 0 && !status_; }
  // The wait status (see `describe_wait_status`) once reaped.
  std::optional<int> status() const { return status_; }

  // Reaps the child if it has exited, without blocking. True when it has been reaped (now or before).
  bool try_reap();
  // Sends `signal` to the child's process group; nothing once it has been reaped.
  void signal_group(int signal) const;
  // Waits for the child to exit until `deadline`, then kills its group with SIGKILL and reaps it.
  // Returns the wait status.
  int wait_until(std::chrono::steady_clock::time_point deadline);
  // SIGKILL to the group, then reaps the child (blocking). Nothing once it has been reaped.
  void kill_and_reap();

 private:
  explicit child_process(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
  std::optional<int> status_;
};

// "exited with status 1", "killed by signal 9 (Killed)".
std::string describe_wait_status(int status);

}  // namespace ternmq::scheduler::edgelb
