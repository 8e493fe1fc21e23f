// What /proc says about a process that may not be our child: whether it still exists and whether
// it is the same process as before. A pid is reused once its process is gone, so across a
// scheduler restart a pid alone names nothing; the pair (pid, start time) does. The start time is
// field 22 of /proc/<pid>/stat (clock ticks since boot), fixed for the life of the process.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace ternmq::scheduler::local {

struct proc_stat {
  char state = '?';              // field 3: 'R', 'S', 'D', 'Z' (zombie), 'X' (dead), ...
  pid_t parent = 0;              // field 4
  pid_t process_group = 0;       // field 5
  std::uint64_t start_time = 0;  // field 22
};

// nullopt when the process does not exist (or /proc cannot be read).
std::optional<proc_stat> read_proc_stat(pid_t pid);

// The process's start time, nullopt when it does not exist.
std::optional<std::uint64_t> process_start_time(pid_t pid);

// True when `pid` still names the process that started at `start_time`, even as a zombie not yet
// reaped by its parent.
bool is_same_process(pid_t pid, std::uint64_t start_time);

// True when `pid` names the process that started at `start_time` and it has not exited.
bool is_same_process_running(pid_t pid, std::uint64_t start_time);

}  // namespace ternmq::scheduler::local
