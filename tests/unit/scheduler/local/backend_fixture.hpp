// The fixture of the local backend's tests: a backend on a temporary work_dir with a manual
// clock, helpers to build launch requests and to poll until a task reaches a state, and a
// TearDown that kills every process the test started (the backend itself never kills tasks on
// destruction) and checks that none was left a zombie.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/local/local_backend.hpp"
#include "tests/unit/scheduler/local/test_support.hpp"

namespace ternmq::scheduler::local::test_support {

class LocalBackendTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Options for a backend on this test's work_dir: 2 agents of 4 cpus, 4096 MB, 10000 MB disk and
  // a port range of 20 ports chosen from the test process's pid (ctest runs test cases in parallel
  // processes, and other programs may use ports: the probe skips those).
  local_backend_options options() const;
  // Opens (or re-opens) `backend_`; fails the test on error.
  local_backend& open_backend();
  local_backend& open_backend(const local_backend_options& with);

  static backend::launch_request request(const std::string& task_id, const std::string& cmd);
  backend::offer offer_of(std::size_t agent_index);
  core::status launch(const backend::launch_request& request, std::size_t agent_index = 0);

  // Polls `backend_` (advancing the clock by `advance` before each poll) until `condition` holds
  // on the statuses collected so far, or 10 s pass.
  bool poll_until(const std::function<bool()>& condition,
                  std::chrono::milliseconds advance = std::chrono::milliseconds(0));
  // Polls until a status of `task_id` in `state` has arrived; returns it.
  std::optional<backend::task_status> wait_for(const std::string& task_id, state::task_state state,
                                               std::chrono::milliseconds advance = std::chrono::milliseconds(0));
  std::vector<backend::task_status> statuses_of(const std::string& task_id) const;
  bool has_status(const std::string& task_id, state::task_state state) const;
  std::filesystem::path sandbox_of(const std::string& task_id, std::size_t agent_index = 0) const;

  temp_dir work_;
  manual_clock clock_;
  std::unique_ptr<local_backend> backend_;
  std::vector<backend::task_status> collected_;
};

}  // namespace ternmq::scheduler::local::test_support
