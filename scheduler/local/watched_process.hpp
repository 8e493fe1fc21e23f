// A task process watched until it exits. A process we spawned is our child: `waitid` tells when it
// exits and with which status. A process re-attached after a scheduler restart is normally not
// (it was reparented to init when the old scheduler went away): it is watched through /proc by
// pid and start time, and its exit status is lost with it. When it still is our child (a backend
// re-created inside the same process, as tests do), it is reaped and its status is known.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace ternmq::scheduler::local {

class watched_process {
 public:
  // `adopted`: re-attached from a checkpoint rather than spawned by this process.
  watched_process(pid_t pid, std::uint64_t start_time, bool adopted)
      : pid_(pid), start_time_(start_time), adopted_(adopted) {}

  pid_t pid() const { return pid_; }
  std::uint64_t start_time() const { return start_time_; }

  // nullopt while the process runs. Once it has exited: its wait status, or -1 when unknown.
  // After an exit is returned, the process is reaped (if ours) and its group has been sent
  // SIGKILL, so nothing it spawned outlives it; later calls return the same value.
  std::optional<int> poll_exit();

  // Signals the process group; a no-op once the exit has been seen.
  void signal(int signal) const;

 private:
  std::optional<int> poll_adopted_exit();

  pid_t pid_;
  std::uint64_t start_time_;
  bool adopted_;
  std::optional<int> exit_status_;
};

}  // namespace ternmq::scheduler::local
