// Starting, signalling and reaping the processes of the local backend: tasks, their checks and
// archive extraction. Each starts the way a Mesos agent starts a command task: in its own session
// (so its process group holds it and everything it spawns, and one signal to the group reaches
// them all), in a given directory, with exactly the given environment, stdin from /dev/null,
// stdout/stderr into files, limits applied, and no other descriptor of the scheduler inherited.
//
// Not thread-safe in the sense that matters for fork: everything the child needs is prepared
// before fork, and the child calls only async-signal-safe functions, so spawning from one thread
// of a multi-threaded scheduler is safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "scheduler/local/rlimits.hpp"

namespace ternmq::scheduler::local {

struct spawn_request {
  std::vector<std::string> argv;  // argv[0] is a path; PATH is not searched
  std::string working_dir;
  std::map<std::string, std::string> env;  // the whole environment of the process
  std::string stdout_path;
  std::string stderr_path;       // may equal `stdout_path`: both streams then share one file
  bool truncate_output = false;  // false: append, as a task's stdout/stderr across restarts
  std::vector<resolved_rlimit> rlimits;
};

// {"/bin/sh", "-c", command}: how Mesos runs a shell CommandInfo.
std::vector<std::string> shell_argv(std::string_view command);

struct spawned_process {
  pid_t pid = 0;  // also its process group and session id
  std::uint64_t start_time = 0;
};

// Forks and execs `request`. Returns once the child has exec'd; an error (directory missing,
// output file not writable, limit refused, exec failed) means no process is left behind.
core::result<spawned_process> spawn(const spawn_request& request);

// Sends `signal` to every process of the group led by `group`; a group already gone is not an
// error.
void signal_group(pid_t group, int signal);

// Non-blocking check of a child of ours. When it has exited, its group is sent SIGKILL before the
// child is reaped (while the zombie still holds the group id, so the id cannot name anyone else)
// and the wait status is returned. nullopt while it runs. ECHILD (someone reaped it, or SIGCHLD
// is ignored) returns -1 as the status: exited, status unknown.
std::optional<int> reap_if_exited(pid_t child);

// For a child being abandoned (a check past its timeout, a stopped fetch): SIGKILL to its group,
// then a blocking reap, which returns at once for a killed process.
void kill_and_reap(pid_t child);

// "exited with status 1", "killed by signal 9"; "exited with an unknown status" for -1.
std::string describe_wait_status(int wait_status);
bool exited_successfully(int wait_status);

}  // namespace ternmq::scheduler::local
