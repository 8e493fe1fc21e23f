// `ternmq-scheduler --local --uninstall`, the local counterpart of the SDK's uninstall mode: stop
// every task the local backend knows (re-attaching to them from their checkpoints), end an HAProxy
// a killed scheduler left behind, and delete the state directory with its sandboxes and volumes.
// Also where a program's sibling binaries are found (`ternmq`, `ternmq-cli` next to the scheduler).
#pragma once

#include <filesystem>
#include <string_view>

namespace ternmq::scheduler::runtime {

// Returns the process exit code. REQUIRES: no scheduler uses `state_dir` (its state store is closed).
int uninstall_local_service(const std::filesystem::path& state_dir);

// `<directory of this executable>/<name>`, or `name` when /proc/self/exe cannot be read.
std::filesystem::path local_binary(std::string_view name);

}  // namespace ternmq::scheduler::runtime
