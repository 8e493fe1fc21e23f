// The local backend: runs the scheduler's tasks as processes on this machine, as Mesos agents
// would, so the same plans and offer evaluation run in development, in tests and on a single host.
// It simulates `agent_count` agents ("local-agent-0".., hostnames the same, so `hostname UNIQUE`
// placement spreads pods over them), each with its own resources and port range, all reached at
// one address (127.0.0.1 by default), sharing its ports.
//
// Tasks outlive the backend: destroying it (a scheduler restart, an upgrade) leaves them running,
// and a backend opened later on the same work_dir re-attaches to them from their checkpoints.
// `kill_all` is the explicit way to stop everything (uninstall, tests).
//
// Driven by the scheduler's event loop: no call blocks for long (fork/exec, a few small files);
// archive extraction and checks run as child processes advanced by `poll`. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "scheduler/backend/task_backend.hpp"
#include "scheduler/local/clock.hpp"
#include "scheduler/local/sandbox.hpp"
#include "scheduler/local/task_checkpoint.hpp"
#include "scheduler/local/task_runner.hpp"

namespace ternmq::scheduler::local {

struct local_backend_options {
  std::filesystem::path work_dir;  // made absolute; sandboxes, volumes and checkpoints live here
  std::uint32_t agent_count = 1;
  // What each agent has to offer.
  double cpus = 4;
  double memory_mb = 8192;
  double disk_mb = 20480;
  model::port_range port_range{10000, 10999};  // per agent; the agents share them
  std::string ip = "127.0.0.1";
  std::string task_path;  // PATH for tasks whose request sets none; empty: the scheduler's PATH
};

struct local_agent {
  std::string id;  // also its hostname
  model::resources resources;
};

class local_backend final : public backend::task_backend {
 public:
  // Creates the work_dir layout and re-attaches to the tasks checkpointed there (tasks whose
  // process is gone are reported LOST by the first `poll`). Errors: invalid options, a work_dir
  // that cannot be created. `time` must outlive the backend.
  static core::result<std::unique_ptr<local_backend>> open(local_backend_options options, clock& time);
  static core::result<std::unique_ptr<local_backend>> open(local_backend_options options);  // real time

  // Leaves the tasks running (see above); stops checks and fetches in progress.
  ~local_backend() override;
  local_backend(const local_backend&) = delete;
  local_backend& operator=(const local_backend&) = delete;

  // One offer per agent: its resources minus those of its live tasks; its port range minus ports
  // of live tasks on any agent and ports that cannot be bound right now. Ids are never repeated.
  std::vector<backend::offer> offers() override;
  // Refuses an unknown agent, a task id already used (on this work_dir, ever), resources the agent
  // no longer has, a port outside the agent's range, in use by a task or held by another process,
  // a volume in use by another task. Otherwise the sandbox is created, volumes and fetched URIs
  // linked into it, and TASK_STARTING reported (or TASK_FAILED with the reason, TASK_ERROR for an
  // invalid rlimit); `poll` then extracts archives, writes the files and spawns the process
  // (TASK_RUNNING, or TASK_FAILED with the reason).
  core::status launch(const backend::offer& on, const backend::launch_request& request) override;
  void kill(const std::string& task_id) override;
  // Refused (logged) while a live task uses the volume.
  void destroy_volume(const std::string& agent_id, const std::string& volume_id) override;
  // Every task not yet over, by task id.
  std::vector<backend::task_status> reconcile() override;
  std::vector<backend::task_status> poll() override;

  // How long the caller may wait before the next `poll`: 0 when statuses are waiting, at most
  // 100 ms while processes are watched (their exits are noticed by polling), else until the next
  // timed event, at most 1 s.
  std::chrono::milliseconds next_poll_in() const;
  // Kills every live task (TASK_KILLED follows through `poll`).
  void kill_all();
  const std::vector<local_agent>& agents() const { return agents_; }
  const agent_layout& layout() const { return layout_; }

 private:
  static core::result<std::unique_ptr<local_backend>> create(local_backend_options options, clock& time,
                                                             std::unique_ptr<clock> owned_clock);
  local_backend(local_backend_options options, clock& time, std::unique_ptr<clock> owned_clock);
  void recover();
  const local_agent* find_agent(const std::string& agent_id) const;
  model::resources free_resources(const std::string& agent_id) const;
  std::map<std::uint16_t, std::string> ports_in_use() const;  // port -> task id
  core::status check_launch(const local_agent& agent, const backend::launch_request& request) const;
  core::status check_ports(const backend::launch_request& request) const;
  std::unique_ptr<task_runner> prepare(const local_agent& agent, const backend::launch_request& request);

  local_backend_options options_;
  std::unique_ptr<clock> owned_clock_;
  clock& clock_;
  agent_layout layout_;
  checkpoint_store checkpoints_;
  std::vector<local_agent> agents_;
  std::string task_path_;
  std::map<std::string, std::unique_ptr<task_runner>> tasks_;  // not yet over, by task id
  std::set<std::string> used_task_ids_;
  std::string offer_prefix_;
  std::uint64_t offers_made_ = 0;
};

}  // namespace ternmq::scheduler::local
