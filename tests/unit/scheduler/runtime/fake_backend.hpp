// A task_backend the tests drive by hand: it records launches, kills and destroyed volumes, and
// delivers exactly the statuses the test pushes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "scheduler/backend/task_backend.hpp"

namespace ternmq::scheduler::runtime::testing {

class fake_backend final : public backend::task_backend {
 public:
  explicit fake_backend(int agents = 3) {
    for (int i = 0; i < agents; ++i) {
      std::string id = "agent-" + std::to_string(i);
      agents_.push_back({id, id, id, "127.0.0." + std::to_string(i + 1), {8, 8192, 100000}, {{31000, 31999}}, {}});
    }
  }

  std::vector<backend::offer> offers() override {
    auto out = agents_;
    for (auto& o : out) o.id = "offer-" + std::to_string(++offer_seq_);
    return out;
  }
  core::status launch(const backend::offer& on, const backend::launch_request& request) override {
    if (refuse_launches) return core::status::failure("refused by the test");
    launches.push_back(request);
    launched_on[request.task_id] = on.agent_id;
    live[request.task_id] = request.task_name;
    pending_.push_back({request.task_id, request.task_name, state::task_state::starting, "", std::nullopt, std::nullopt, on.agent_id, on.ip});
    return core::status::success();
  }
  void kill(const std::string& task_id) override {
    kills.push_back(task_id);
    auto it = live.find(task_id);
    if (it == live.end() || hold_kills) return;
    pending_.push_back({task_id, it->second, state::task_state::killed, "killed", std::nullopt, std::nullopt, "", ""});
    live.erase(it);
  }
  void destroy_volume(const std::string& agent_id, const std::string& volume_id) override {
    destroyed_volumes.push_back(agent_id + "/" + volume_id);
  }
  std::vector<backend::task_status> reconcile() override { return reconciled; }
  std::vector<backend::task_status> poll() override {
    auto out = std::move(pending_);
    pending_.clear();
    return out;
  }

  // Test controls.
  void running(const std::string& task_id, bool ready) {
    pending_.push_back({task_id, live.at(task_id), state::task_state::running, "", ready, std::nullopt, "", ""});
  }
  void fail(const std::string& task_id, std::string message = "exited with status 1") {
    pending_.push_back({task_id, live.at(task_id), state::task_state::failed, std::move(message), std::nullopt, std::nullopt, "", ""});
    live.erase(task_id);
  }

  std::vector<backend::launch_request> launches;
  std::map<std::string, std::string> launched_on;  // task id -> agent
  std::map<std::string, std::string> live;         // task id -> task name
  std::vector<std::string> kills;
  std::vector<std::string> destroyed_volumes;
  std::vector<backend::task_status> reconciled;
  bool refuse_launches = false;
  bool hold_kills = false;

 private:
  std::vector<backend::offer> agents_;
  std::vector<backend::task_status> pending_;
  int offer_seq_ = 0;
};

}  // namespace ternmq::scheduler::runtime::testing
