// What the local backend writes down about a running task so that a restarted scheduler can
// re-attach to it instead of killing it (a Mesos agent's checkpointing): which process it is (pid
// and start time, so a reused pid is not mistaken for it), where it runs, what it holds (resources,
// ports, volumes) and what to keep doing for it (its checks and kill grace period).
//
// One JSON file per task, `<work_dir>/meta/tasks/<task id>.json`, written when the process has
// started (and again when it becomes ready), replaced atomically (temporary file, fsync, rename)
// so a crash leaves the old or the new file, never half of one; removed once the task's terminal
// status has been reported.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/base/result.hpp"
#include "core/base/status.hpp"
#include "scheduler/model/check_spec.hpp"
#include "scheduler/model/resources.hpp"

namespace ternmq::scheduler::local {

struct task_checkpoint {
  std::string task_id;
  std::string task_name;
  std::string agent_id;
  std::string ip;
  std::string sandbox;
  pid_t pid = 0;
  std::uint64_t start_time = 0;  // /proc/<pid>/stat field 22
  model::resources resources;
  std::map<std::string, std::uint16_t> ports;
  std::vector<std::string> volume_ids;
  std::map<std::string, std::string> env;  // the task's whole environment, for its checks
  std::optional<model::readiness_check_spec> readiness_check;
  std::optional<model::health_check_spec> health_check;
  std::chrono::seconds kill_grace_period{5};
  bool ready = false;  // the readiness check has passed: not run again after a restart
  friend bool operator==(const task_checkpoint&, const task_checkpoint&) = default;
};

nlohmann::json to_json(const task_checkpoint& checkpoint);
core::result<task_checkpoint> task_checkpoint_from_json(const nlohmann::json& json);

// The checkpoint directory. Not thread-safe; the backend is its only user.
class checkpoint_store {
 public:
  explicit checkpoint_store(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Creates the directory if needed.
  core::status open() const;
  core::status save(const task_checkpoint& checkpoint) const;
  void remove(const std::string& task_id) const;
  bool contains(const std::string& task_id) const;

  // Every checkpoint, by task id (from the file name); unreadable ones as errors. Leftover
  // temporary files of interrupted writes are removed.
  struct entry {
    std::string task_id;
    core::result<task_checkpoint> checkpoint;
  };
  std::vector<entry> load_all() const;

 private:
  std::filesystem::path path_of(const std::string& task_id) const;
  std::filesystem::path dir_;
};

}  // namespace ternmq::scheduler::local
