// Checkpoints and re-attachment: tasks outlive the backend, a new backend on the same work_dir
// takes them over (statuses, resources, ports, kill, checks), and checkpoints of tasks that died
// meanwhile become TASK_LOST.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scheduler/local/proc_stat.hpp"
#include "scheduler/local/task_checkpoint.hpp"
#include "tests/unit/scheduler/local/backend_fixture.hpp"

namespace ternmq::scheduler::local::test_support {
namespace {

namespace fs = std::filesystem;
using state::task_state;

class LocalBackendRecoveryTest : public LocalBackendTest {
 protected:
  fs::path checkpoint_path(const std::string& task_id) const {
    return work_.path() / "meta" / "tasks" / (task_id + ".json");
  }
  task_checkpoint checkpoint(const std::string& task_id) const {
    auto parsed = task_checkpoint_from_json(nlohmann::json::parse(read_file(checkpoint_path(task_id))));
    EXPECT_TRUE(parsed) << parsed.err().message;
    return parsed.value();
  }
  std::optional<backend::task_status> reconciled(const std::string& task_id) {
    for (const auto& s : backend_->reconcile()) {
      if (s.task_id == task_id) return s;
    }
    return std::nullopt;
  }
};

TEST_F(LocalBackendRecoveryTest, ATaskOutlivesItsBackendAndIsReattachedByTheNext) {
  open_backend();
  const std::uint16_t port = offer_of(0).ports.at(0).begin;
  auto r = request("survivor__1", "exec sleep 60");
  r.ports = {{"mqtt", port}};
  r.resources = {2, 1024, 0};
  ASSERT_TRUE(launch(r, 1));
  ASSERT_TRUE(wait_for("survivor__1", task_state::running));
  const auto saved = checkpoint("survivor__1");
  EXPECT_EQ(saved.agent_id, "local-agent-1");
  EXPECT_EQ(saved.ports, r.ports);
  EXPECT_EQ(process_start_time(saved.pid), saved.start_time);

  backend_.reset();  // the scheduler goes away
  EXPECT_TRUE(is_same_process_running(saved.pid, saved.start_time));

  open_backend();
  auto status = reconciled("survivor__1");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->state, task_state::running);
  EXPECT_EQ(status->ready, true);
  EXPECT_EQ(status->agent_id, "local-agent-1");
  EXPECT_EQ(status->task_name, "node-0-broker");
  auto offers = backend_->offers();
  EXPECT_EQ(offers[1].available, (model::resources{2, 3072, 10000}));
  EXPECT_NE(offers[0].ports.at(0).begin, port);
  EXPECT_FALSE(launch(request("survivor__1", "true"), 0));  // the id stays used

  backend_->kill("survivor__1");
  auto killed = wait_for("survivor__1", task_state::killed);
  ASSERT_TRUE(killed);
  EXPECT_EQ(killed->message, "killed on request (killed by signal 15)");  // still our child: status known
  EXPECT_FALSE(fs::exists(checkpoint_path("survivor__1")));
}

TEST_F(LocalBackendRecoveryTest, AReattachedTaskThatExitsIsReported) {
  open_backend();
  ASSERT_TRUE(launch(request("later__1", "while [ ! -f stop ]; do sleep 0.05; done; exit 4")));
  ASSERT_TRUE(wait_for("later__1", task_state::running));
  backend_.reset();
  open_backend();
  write_file(sandbox_of("later__1") / "stop", "");
  auto failed = wait_for("later__1", task_state::failed);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->message, "exited with status 4");
}

TEST_F(LocalBackendRecoveryTest, ATaskThatDiedWhileTheSchedulerWasAwayIsLost) {
  open_backend();
  ASSERT_TRUE(launch(request("goner__1", "exec sleep 60")));
  ASSERT_TRUE(wait_for("goner__1", task_state::running));
  const auto saved = checkpoint("goner__1");
  backend_.reset();
  ::kill(saved.pid, SIGKILL);
  ASSERT_EQ(::waitpid(saved.pid, nullptr, 0), saved.pid);  // gone, and reaped by someone else

  open_backend();
  auto lost = reconciled("goner__1");
  ASSERT_TRUE(lost);
  EXPECT_EQ(lost->state, task_state::lost);
  EXPECT_EQ(lost->message, "exited while the scheduler was away; its exit status is unknown");
  ASSERT_TRUE(wait_for("goner__1", task_state::lost));
  EXPECT_FALSE(fs::exists(checkpoint_path("goner__1")));
  EXPECT_TRUE(backend_->reconcile().empty());
  EXPECT_FALSE(launch(request("goner__1", "true")));
}

TEST_F(LocalBackendRecoveryTest, AReusedPidIsNotMistakenForTheTask) {
  open_backend();
  task_checkpoint impostor;
  impostor.task_id = "impostor__1";
  impostor.task_name = "node-0-broker";
  impostor.agent_id = "local-agent-0";
  impostor.pid = ::getpid();  // alive, but started at another time than the checkpoint says
  impostor.start_time = process_start_time(::getpid()).value() + 1;
  checkpoint_store store(work_.path() / "meta" / "tasks");
  ASSERT_TRUE(store.save(impostor));
  write_file(checkpoint_path("garbled__1"), "{\"pid\":");

  open_backend();
  auto impostor_status = reconciled("impostor__1");
  ASSERT_TRUE(impostor_status);
  EXPECT_EQ(impostor_status->state, task_state::lost);
  auto garbled = reconciled("garbled__1");
  ASSERT_TRUE(garbled);
  EXPECT_EQ(garbled->state, task_state::lost);
  EXPECT_NE(garbled->message.find("unreadable"), std::string::npos);
  ASSERT_TRUE(wait_for("garbled__1", task_state::lost));
  EXPECT_FALSE(fs::exists(checkpoint_path("garbled__1")));
}

// A checkpointed process that is not our child (after a real scheduler restart it belongs to
// init): watched through /proc, killed through its group, its exit status unknown.
TEST_F(LocalBackendRecoveryTest, AProcessThatIsNotOurChildIsWatchedThroughProc) {
  const fs::path pid_file = work_.path() / "orphan.pid";
  ASSERT_EQ(
      std::system(("setsid sleep 60 < /dev/null > /dev/null 2>&1 & echo $! > '" + pid_file.string() + "'").c_str()), 0);
  ASSERT_TRUE(wait_until([&] { return read_file(pid_file).ends_with("\n"); }));
  const auto pid = static_cast<pid_t>(std::stol(read_file(pid_file)));
  struct killer {
    pid_t pid;
    ~killer() { ::kill(pid, SIGKILL); }
  } cleanup{pid};
  ASSERT_TRUE(wait_until([&] { return ::getpgid(pid) == pid; }));  // setsid has run

  task_checkpoint orphan;
  orphan.task_id = "orphan__1";
  orphan.task_name = "node-1-broker";
  orphan.agent_id = "local-agent-0";
  orphan.ip = "127.0.0.1";
  orphan.sandbox = work_.path().string();
  orphan.pid = pid;
  orphan.start_time = process_start_time(pid).value();
  orphan.health_check = model::health_check_spec{
      "true", std::chrono::seconds(1), std::chrono::seconds(0), std::chrono::seconds(600), std::chrono::seconds(0), 3};
  checkpoint_store store(work_.path() / "meta" / "tasks");
  ASSERT_TRUE(store.open());
  ASSERT_TRUE(store.save(orphan));

  open_backend();
  ASSERT_EQ(reconciled("orphan__1").value().state, task_state::running);
  ASSERT_TRUE(poll_until([&] {  // its checks were restarted
    auto all = statuses_of("orphan__1");
    return !all.empty() && all.back().healthy == true;
  }));
  ::kill(pid, SIGKILL);  // it dies on its own; init reaps it (or leaves a zombie: also seen as gone)
  auto failed = wait_for("orphan__1", task_state::failed);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->message, "exited while the scheduler was away or its exit status is unknown");
}

}  // namespace
}  // namespace ternmq::scheduler::local::test_support
