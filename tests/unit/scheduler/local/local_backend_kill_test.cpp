// Killing tasks: SIGTERM to the group, SIGKILL after the grace period for a task that ignores
// it, nothing of the task left behind, no zombies.
#include <signal.h>

#include <gtest/gtest.h>

#include "scheduler/local/proc_stat.hpp"
#include "tests/unit/scheduler/local/backend_fixture.hpp"

namespace ternmq::scheduler::local::test_support {
namespace {

namespace fs = std::filesystem;
using state::task_state;

bool is_gone(pid_t pid) {
  auto stat = read_proc_stat(pid);
  return !stat || stat->state == 'Z' || stat->state == 'X';
}

TEST_F(LocalBackendTest, KillSendsSigtermAndReportsKilled) {
  open_backend();
  ASSERT_TRUE(launch(request("sleepy__1", "sleep 60")));
  ASSERT_TRUE(wait_for("sleepy__1", task_state::running));
  backend_->kill("sleepy__1");
  auto killed = wait_for("sleepy__1", task_state::killed);
  ASSERT_TRUE(killed);
  EXPECT_EQ(killed->message, "killed on request (killed by signal 15)");
  backend_->kill("sleepy__1");  // over: ignored
  backend_->kill("never-launched");
  EXPECT_TRUE(backend_->reconcile().empty());
}

TEST_F(LocalBackendTest, ATaskIgnoringSigtermIsKilledAfterItsGracePeriod) {
  open_backend();
  auto r = request("stubborn__1",
                   "trap 'echo got-term >> term.log' TERM; echo up > up.log; "
                   "while true; do sleep 0.1; done");
  r.kill_grace_period = std::chrono::seconds(30);
  ASSERT_TRUE(launch(r));
  const auto sandbox = sandbox_of("stubborn__1");
  ASSERT_TRUE(poll_until([&] { return fs::exists(sandbox / "up.log"); }));  // the trap is set

  backend_->kill("stubborn__1");
  ASSERT_TRUE(poll_until([&] { return read_file(sandbox / "term.log") == "got-term\n"; }));
  // The clock has not moved: whatever the real time, no SIGKILL yet, so the task still runs.
  auto alive = backend_->poll();
  EXPECT_TRUE(alive.empty());
  ASSERT_EQ(backend_->reconcile().size(), 1u);
  EXPECT_EQ(backend_->reconcile()[0].state, task_state::running);

  clock_.advance(std::chrono::seconds(30));
  auto killed = wait_for("stubborn__1", task_state::killed);
  ASSERT_TRUE(killed);
  EXPECT_EQ(killed->message, "killed on request (killed by signal 9)");
}

TEST_F(LocalBackendTest, NothingTheTaskSpawnedOutlivesIt) {
  open_backend();
  ASSERT_TRUE(launch(request("parent__1", "sleep 300 & echo $! > child.pid; wait")));
  ASSERT_TRUE(launch(request("quitter__1", "sleep 300 & echo $! > child.pid; exit 0")));
  const auto parent_child_file = sandbox_of("parent__1") / "child.pid";
  ASSERT_TRUE(poll_until([&] { return read_file(parent_child_file).ends_with("\n"); }));
  const auto orphan = static_cast<pid_t>(std::stol(read_file(parent_child_file)));
  backend_->kill("parent__1");
  ASSERT_TRUE(wait_for("parent__1", task_state::killed));
  EXPECT_TRUE(wait_until([&] { return is_gone(orphan); }));

  ASSERT_TRUE(wait_for("quitter__1", task_state::finished));
  const auto left = static_cast<pid_t>(std::stol(read_file(sandbox_of("quitter__1") / "child.pid")));
  EXPECT_TRUE(wait_until([&] { return is_gone(left); }));
}

TEST_F(LocalBackendTest, KillAllStopsEveryTaskAndLeavesNoZombie) {
  open_backend();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(launch(request("many__" + std::to_string(i), "sleep 60")));
  ASSERT_TRUE(launch(request("short__1", "true")));
  ASSERT_TRUE(wait_for("short__1", task_state::finished));
  ASSERT_TRUE(poll_until([&] { return collected_.size() >= 3 * 2 + 3; }));  // STARTING and RUNNING for each
  backend_->kill_all();
  ASSERT_TRUE(poll_until([&] { return backend_->reconcile().empty(); }));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(has_status("many__" + std::to_string(i), task_state::killed));
  EXPECT_TRUE(zombie_children().empty());
  EXPECT_TRUE(children_of_this_process().empty());
}

TEST_F(LocalBackendTest, AKillBeforeTheProcessStartedEndsTheLaunch) {
  open_backend();
  ASSERT_TRUE(launch(request("early__1", "true")));
  backend_->kill("early__1");
  auto killed = wait_for("early__1", task_state::killed);
  ASSERT_TRUE(killed);
  EXPECT_EQ(killed->message, "killed on request before it started");
  EXPECT_FALSE(has_status("early__1", task_state::running));
}

}  // namespace
}  // namespace ternmq::scheduler::local::test_support
