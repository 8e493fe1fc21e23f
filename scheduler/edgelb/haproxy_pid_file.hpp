// The record of which HAProxy processes a haproxy_process has running (`<dir>/haproxy.pids`, one
// id per line), so that a scheduler restarted after being killed can end the HAProxy its previous
// run left behind. Such a leftover keeps its ports and, since HAProxy binds with SO_REUSEPORT,
// would serve beside the new one with a stale configuration.
//
// A listed process is only killed when it still runs HAProxy with our configuration file (its
// `/proc/<pid>/cmdline` holds `-f <config>`), so a recycled process id is left alone.
//
// Stateless; not meant for concurrent use on one directory.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <vector>

#include "core/base/status.hpp"

namespace ternmq::scheduler::edgelb {

// Replaces the file's content with `pids`; removes the file when there are none.
core::status write_haproxy_pids(const std::filesystem::path& pid_file, const std::vector<pid_t>& pids);

// Sends SIGKILL to every process listed in `pid_file` that runs with `-f <config_path>`, and
// returns their ids. They are not our children: init reaps them.
std::vector<pid_t> kill_leftover_haproxy(const std::filesystem::path& pid_file,
                                         const std::filesystem::path& config_path);

}  // namespace ternmq::scheduler::edgelb
