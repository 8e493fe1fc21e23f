// Asking a running HAProxy, over its admin socket (`stats socket ... level admin`), which process
// answers there: `show info` and its `Pid:` line.
//
// haproxy_process uses the answer twice. A new HAProxy binds the admin socket together with its
// other listeners and answers only once it has finished starting (and told the old process to
// finish), so "our newest process answers" means a reload is complete; only then is the next
// one started, so two HAProxy processes never start over each other. And an old HAProxy that
// still answers still holds its listeners, so a new one can take them over from it (`-x`).
//
// Blocking, for at most `timeout` (HAProxy answers within a millisecond when it is up); thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

namespace ternmq::scheduler::edgelb {

// The pid of the HAProxy answering on the Unix socket `path`, or nothing when none answers there
// in time (no such socket, a dead one left by a failed start, or an HAProxy still starting).
std::optional<pid_t> admin_socket_pid(const std::string& path, std::chrono::milliseconds timeout);

}  // namespace ternmq::scheduler::edgelb
