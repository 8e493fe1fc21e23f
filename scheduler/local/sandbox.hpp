// Where a task's files live on its (simulated) agent, laid out as a Mesos agent lays them out
// under its work_dir:
//   <work_dir>/agents/<agent id>/sandboxes/<task id>/  one per launch, fresh, kept after the task
//                                                      ends so its stdout/stderr can be read
//   <work_dir>/agents/<agent id>/volumes/<volume id>/  a persistent volume: created on first use,
//                                                      kept across launches, linked into each
//                                                      sandbox at its container path
//   <work_dir>/meta/tasks/<task id>.json               checkpoints (see task_checkpoint.hpp)
// Paths coming from a request (file paths, container paths, ids) must stay inside their
// directory: absolute paths and ".." are refused.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.hpp"
#include "scheduler/backend/task_backend.hpp"

namespace ternmq::scheduler::local {

class agent_layout {
 public:
  // `work_dir` should be absolute: sandbox paths are given to tasks.
  explicit agent_layout(std::filesystem::path work_dir) : work_dir_(std::move(work_dir)) {}

  const std::filesystem::path& work_dir() const { return work_dir_; }
  std::filesystem::path sandbox(std::string_view agent_id, std::string_view task_id) const;
  std::filesystem::path volume(std::string_view agent_id, std::string_view volume_id) const;
  std::filesystem::path checkpoints() const;

 private:
  std::filesystem::path work_dir_;
};

// True for a non-empty relative path without "." or ".." components.
bool is_safe_relative_path(std::string_view path);
// True for a name usable as one path component (task, agent and volume ids).
bool is_safe_name(std::string_view name);

// Creates the sandbox directory (and its parents); fails if it already exists.
core::status create_sandbox(const std::filesystem::path& sandbox);

// Writes each file at its path under the sandbox, creating parent directories, replacing what
// the fetch may have put there.
core::status write_sandbox_files(const std::filesystem::path& sandbox, const std::vector<backend::sandbox_file>& files);

// Creates each volume's directory on first use and links it into the sandbox at its container path.
core::status link_volumes(const std::filesystem::path& sandbox, const agent_layout& layout, std::string_view agent_id,
                          const std::vector<backend::volume_request>& volumes);

// Removes a volume and its data; a volume that does not exist is not an error.
core::status remove_volume(const std::filesystem::path& volume_dir);

}  // namespace ternmq::scheduler::local
