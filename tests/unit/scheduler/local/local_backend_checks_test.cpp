// Readiness and health checks on real tasks. The clock is manual: a test moves it by a check
// interval per poll when it wants the next check, so nothing waits out an interval.
#include <gtest/gtest.h>

#include "tests/unit/scheduler/local/backend_fixture.hpp"

namespace ternmq::scheduler::local::test_support {
namespace {

namespace fs = std::filesystem;
using state::task_state;
using std::chrono::seconds;

constexpr auto k_one_interval = std::chrono::milliseconds(1000);

bool any_ready(const std::vector<backend::task_status>& statuses) {
  for (const auto& s : statuses) {
    if (s.ready == true) return true;
  }
  return false;
}

TEST_F(LocalBackendTest, ReadyOnlyOnceTheReadinessCheckPasses) {
  open_backend();
  auto r = request("ready__1", "exec sleep 60");
  r.env = {{"FLAG", "ready.flag"}};
  // The check runs in the sandbox with the task's environment.
  r.readiness_check = model::readiness_check_spec{"echo run >> checks.log; test -f \"$MESOS_SANDBOX/$FLAG\"",
                                                  seconds(1), seconds(0), seconds(600)};
  ASSERT_TRUE(launch(r));
  const auto sandbox = sandbox_of("ready__1");
  auto running = wait_for("ready__1", task_state::running);
  ASSERT_TRUE(running);
  EXPECT_FALSE(running->ready);
  ASSERT_TRUE(poll_until([&] { return lines_of(read_file(sandbox / "checks.log")).size() >= 2; }, k_one_interval));
  EXPECT_FALSE(any_ready(statuses_of("ready__1")));

  write_file(sandbox / "ready.flag", "");
  ASSERT_TRUE(poll_until([&] { return any_ready(statuses_of("ready__1")); }, k_one_interval));
  const auto ready = statuses_of("ready__1").back();
  EXPECT_EQ(ready.state, task_state::running);
  EXPECT_EQ(ready.ready, true);
  EXPECT_EQ(backend_->reconcile().at(0).ready, true);

  // Once ready, the readiness check stops.
  const auto runs = lines_of(read_file(sandbox / "checks.log")).size();
  for (int i = 0; i < 5; ++i) {
    clock_.advance(seconds(2));
    backend_->poll();
  }
  EXPECT_EQ(lines_of(read_file(sandbox / "checks.log")).size(), runs);
}

TEST_F(LocalBackendTest, AReadinessCheckWaitsForItsDelay) {
  open_backend();
  auto r = request("delayed__1", "exec sleep 60");
  r.readiness_check = model::readiness_check_spec{"echo run >> checks.log", seconds(1), seconds(30), seconds(60)};
  ASSERT_TRUE(launch(r));
  ASSERT_TRUE(wait_for("delayed__1", task_state::running));
  for (int i = 0; i < 20; ++i) backend_->poll();
  EXPECT_FALSE(fs::exists(sandbox_of("delayed__1") / "checks.log"));
  clock_.advance(seconds(30));
  ASSERT_TRUE(poll_until([&] { return any_ready(statuses_of("delayed__1")); }));
}

TEST_F(LocalBackendTest, HealthyIsReportedWhenItChanges) {
  open_backend();
  auto r = request("healthy__1", "exec sleep 60");
  r.health_check = model::health_check_spec{"test ! -f sick", seconds(1), seconds(0), seconds(600), seconds(0), 100};
  ASSERT_TRUE(launch(r));
  ASSERT_TRUE(poll_until([&] {
    auto all = statuses_of("healthy__1");
    return !all.empty() && all.back().healthy == true;
  }));
  write_file(sandbox_of("healthy__1") / "sick", "");
  ASSERT_TRUE(poll_until(
      [&] {
        auto all = statuses_of("healthy__1");
        return all.back().healthy == false;
      },
      k_one_interval));
  EXPECT_EQ(statuses_of("healthy__1").back().state, task_state::running);
}

TEST_F(LocalBackendTest, ConsecutiveHealthFailuresKillTheTask) {
  open_backend();
  auto r = request("sick__1", "exec sleep 60");
  r.health_check = model::health_check_spec{
      "echo 'broker not listening'; exit 1", seconds(1), seconds(0), seconds(600), seconds(0), 2};
  ASSERT_TRUE(launch(r));
  auto failed = wait_for("sick__1", task_state::failed, k_one_interval);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->message, "health check failed 2 times: exited with status 1: broker not listening");
  EXPECT_EQ(failed->healthy, false);
}

TEST_F(LocalBackendTest, HealthFailuresDuringTheGracePeriodDoNotCount) {
  open_backend();
  auto r = request("grace__1", "exec sleep 60");
  r.health_check =
      model::health_check_spec{"echo run >> checks.log; false", seconds(1), seconds(0), seconds(600), seconds(10), 1};
  ASSERT_TRUE(launch(r));
  const auto log = sandbox_of("grace__1") / "checks.log";
  // Three checks inside the grace period (the clock moves 1 s per check, from 0 s to 2 s).
  for (std::size_t runs = 1; runs <= 3; ++runs) {
    ASSERT_TRUE(poll_until([&] { return lines_of(read_file(log)).size() >= runs; }));
    EXPECT_FALSE(has_status("grace__1", task_state::failed));
    clock_.advance(seconds(1));
  }
  EXPECT_FALSE(has_status("grace__1", task_state::failed));
  clock_.advance(seconds(10));
  auto failed = wait_for("grace__1", task_state::failed, k_one_interval);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->message, "health check failed 1 times: exited with status 1");
}

TEST_F(LocalBackendTest, AHealthCheckPastItsTimeoutIsKilledAndCountsAsAFailure) {
  open_backend();
  auto r = request("hung__1", "exec sleep 60");
  r.health_check = model::health_check_spec{
      "echo $$ > check.pid; exec sleep 300", seconds(1), seconds(0), seconds(5), seconds(0), 1};
  ASSERT_TRUE(launch(r));
  const auto pid_file = sandbox_of("hung__1") / "check.pid";
  ASSERT_TRUE(poll_until([&] { return read_file(pid_file).ends_with("\n"); }));
  clock_.advance(seconds(5));
  auto failed = wait_for("hung__1", task_state::failed);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->message, "health check failed 1 times: timed out after 5s");
  EXPECT_TRUE(children_of_this_process().empty());
}

TEST_F(LocalBackendTest, ChecksRunOnTheRealClockToo) {
  auto o = options();
  auto opened = local_backend::open(o);  // steady time instead of the manual clock
  ASSERT_TRUE(opened) << opened.err().message;
  backend_ = std::move(opened.value());
  auto r = request("real__1", "exec sleep 60");
  r.readiness_check = model::readiness_check_spec{"true", seconds(1), seconds(0), seconds(600)};
  ASSERT_TRUE(launch(r));
  ASSERT_TRUE(poll_until([&] { return any_ready(statuses_of("real__1")); }));
}

TEST_F(LocalBackendTest, TheNextPollIsDueSoonerWhenThereIsWorkToWatch) {
  open_backend();
  EXPECT_EQ(backend_->next_poll_in(), std::chrono::milliseconds(1000));  // idle
  auto r = request("watched__1", "exec sleep 60");
  r.kill_grace_period = seconds(0);
  ASSERT_TRUE(launch(r));
  EXPECT_EQ(backend_->next_poll_in(), std::chrono::milliseconds(0));  // TASK_STARTING waits
  ASSERT_TRUE(wait_for("watched__1", task_state::running));
  EXPECT_EQ(backend_->next_poll_in(), std::chrono::milliseconds(100));  // its exit is noticed by polling
  backend_->kill("watched__1");
  EXPECT_EQ(backend_->next_poll_in(), std::chrono::milliseconds(0));  // the SIGKILL is due now
  ASSERT_TRUE(wait_for("watched__1", task_state::killed));
}

}  // namespace
}  // namespace ternmq::scheduler::local::test_support
