// LocalBackendTest: a backend on a temporary work_dir with a manual clock, and status collection.
#include "tests/unit/scheduler/local/backend_fixture.hpp"

#include <unistd.h>

namespace ternmq::scheduler::local::test_support {

void LocalBackendTest::SetUp() { kill_and_reap_children(); }

void LocalBackendTest::TearDown() {
  backend_.reset();
  // Every process the backend saw exit, it reaped; what still runs is killed here.
  EXPECT_TRUE(zombie_children().empty());
  kill_and_reap_children();
}

local_backend_options LocalBackendTest::options() const {
  local_backend_options o;
  o.work_dir = work_.path();
  o.agent_count = 2;
  o.cpus = 4;
  o.memory_mb = 4096;
  o.disk_mb = 10000;
  const auto base = static_cast<std::uint16_t>(20000 + (::getpid() % 2000) * 20);
  o.port_range = {base, static_cast<std::uint16_t>(base + 19)};
  return o;
}

local_backend& LocalBackendTest::open_backend() { return open_backend(options()); }

local_backend& LocalBackendTest::open_backend(const local_backend_options& with) {
  backend_.reset();
  auto opened = local_backend::open(with, clock_);
  EXPECT_TRUE(opened) << (opened ? "" : opened.err().message);
  backend_ = std::move(opened.value());
  return *backend_;
}

backend::launch_request LocalBackendTest::request(const std::string& task_id, const std::string& cmd) {
  backend::launch_request r;
  r.task_id = task_id;
  r.task_name = "node-0-broker";
  r.cmd = cmd;
  r.resources = {1, 256, 0};
  r.kill_grace_period = std::chrono::seconds(30);
  return r;
}

backend::offer LocalBackendTest::offer_of(std::size_t agent_index) { return backend_->offers().at(agent_index); }

core::status LocalBackendTest::launch(const backend::launch_request& request, std::size_t agent_index) {
  return backend_->launch(offer_of(agent_index), request);
}

bool LocalBackendTest::poll_until(const std::function<bool()>& condition, std::chrono::milliseconds advance) {
  return wait_until(condition, std::chrono::seconds(10), [&] {
    clock_.advance(advance);
    auto updates = backend_->poll();
    collected_.insert(collected_.end(), updates.begin(), updates.end());
  });
}

std::optional<backend::task_status> LocalBackendTest::wait_for(const std::string& task_id, state::task_state state,
                                                               std::chrono::milliseconds advance) {
  if (!poll_until([&] { return has_status(task_id, state); }, advance)) return std::nullopt;
  for (const auto& s : collected_) {
    if (s.task_id == task_id && s.state == state) return s;
  }
  return std::nullopt;
}

std::vector<backend::task_status> LocalBackendTest::statuses_of(const std::string& task_id) const {
  std::vector<backend::task_status> out;
  for (const auto& s : collected_) {
    if (s.task_id == task_id) out.push_back(s);
  }
  return out;
}

bool LocalBackendTest::has_status(const std::string& task_id, state::task_state state) const {
  for (const auto& s : collected_) {
    if (s.task_id == task_id && s.state == state) return true;
  }
  return false;
}

std::filesystem::path LocalBackendTest::sandbox_of(const std::string& task_id, std::size_t agent_index) const {
  return backend_->layout().sandbox("local-agent-" + std::to_string(agent_index), task_id);
}

}  // namespace ternmq::scheduler::local::test_support
