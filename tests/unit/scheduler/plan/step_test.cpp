// Tests for every step transition, allowed and refused, driven by hand (no clock, no backend).
#include "scheduler/plan/step.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "scheduler/plan/element_id.hpp"

namespace ternmq::scheduler::plans {
namespace {

step broker0() { return step("broker-0:[node]", "broker-0"); }

step at(status target) {
  step s = broker0();
  if (target == status::pending) return s;
  EXPECT_TRUE(s.start());
  if (target == status::prepared) return s;
  EXPECT_TRUE(s.on_launched());
  if (target == status::starting) return s;
  EXPECT_TRUE(s.on_running());
  if (target == status::started) return s;
  EXPECT_TRUE(s.on_ready());
  return s;
}

TEST(StepTest, NewStepIsPending) {
  const step s = broker0();
  EXPECT_EQ(s.name(), "broker-0:[node]");
  EXPECT_EQ(s.pod_instance(), "broker-0");
  EXPECT_EQ(s.id(), element_id("broker-0:[node]"));
  EXPECT_EQ(s.status(), status::pending);
  EXPECT_FALSE(s.interrupted());
  EXPECT_TRUE(s.errors().empty());
  EXPECT_EQ(s.message(), "'broker-0:[node]' has status: 'PENDING'.");
}

TEST(StepTest, HappyPathWithReadiness) {
  step s = broker0();
  EXPECT_TRUE(s.start());
  EXPECT_EQ(s.status(), status::prepared);
  EXPECT_TRUE(s.on_launched());
  EXPECT_EQ(s.status(), status::starting);
  EXPECT_TRUE(s.on_running());
  EXPECT_EQ(s.status(), status::started);
  EXPECT_TRUE(s.on_running());  // repeated TASK_RUNNING while the check has not passed
  EXPECT_EQ(s.status(), status::started);
  EXPECT_TRUE(s.on_ready());
  EXPECT_EQ(s.status(), status::complete);
  EXPECT_TRUE(s.is_complete());
}

TEST(StepTest, ReadyWithoutReadinessCheckCompletesFromStarting) {
  step s = at(status::starting);
  EXPECT_TRUE(s.on_ready());
  EXPECT_EQ(s.status(), status::complete);
}

TEST(StepTest, StartIsIdempotentWhilePrepared) {
  step s = at(status::prepared);
  EXPECT_TRUE(s.start());
  EXPECT_EQ(s.status(), status::prepared);
}

TEST(StepTest, EventsThatDoNotApplyChangeNothing) {
  struct refused {
    status from;
    bool (*event)(step&);
    const char* what;
  };
  const std::vector<refused> cases = {
      {status::starting, [](step& s) { return s.start(); }, "start while starting"},
      {status::complete, [](step& s) { return s.start(); }, "start when complete"},
      {status::pending, [](step& s) { return s.on_launched(); }, "launched before start"},
      {status::starting, [](step& s) { return s.on_launched(); }, "launched twice"},
      {status::pending, [](step& s) { return s.on_running(); }, "running while pending"},
      {status::prepared, [](step& s) { return s.on_running(); }, "running while prepared"},
      {status::complete, [](step& s) { return s.on_running(); }, "running when complete"},
      {status::pending, [](step& s) { return s.on_ready(); }, "ready while pending"},
      {status::prepared, [](step& s) { return s.on_ready(); }, "ready while prepared"},
      {status::complete, [](step& s) { return s.on_ready(); }, "ready twice"},
      {status::complete, [](step& s) { return s.on_failed("TASK_FAILED"); }, "failure after complete"},
      {status::starting, [](step& s) { return s.on_delayed(); }, "delay while starting"},
      {status::pending, [](step& s) { return s.on_delay_expired(); }, "expiry without delay"},
  };
  for (const auto& c : cases) {
    step s = at(c.from);
    EXPECT_FALSE(c.event(s)) << c.what;
    EXPECT_EQ(s.status(), c.from) << c.what;
  }
}

TEST(StepTest, FailureReturnsToPendingAndIsReported) {
  for (status from : {status::prepared, status::starting, status::started}) {
    step s = at(from);
    EXPECT_TRUE(s.on_failed("TASK_FAILED: exit 1")) << to_string(from);
    EXPECT_EQ(s.status(), status::pending);
    EXPECT_EQ(s.last_failure(), "TASK_FAILED: exit 1");
    EXPECT_EQ(s.message(), "'broker-0:[node]' has status: 'PENDING'. Last failure: TASK_FAILED: exit 1.");
  }
  step s = broker0();
  EXPECT_TRUE(s.on_failed("TASK_LOST"));
  EXPECT_EQ(s.status(), status::pending);
}

TEST(StepTest, CompletionClearsTheLastFailure) {
  step s = at(status::starting);
  EXPECT_TRUE(s.on_failed("TASK_KILLED"));
  EXPECT_TRUE(s.start());
  EXPECT_TRUE(s.on_launched());
  EXPECT_TRUE(s.on_ready());
  EXPECT_TRUE(s.last_failure().empty());
  EXPECT_EQ(s.message(), "'broker-0:[node]' has status: 'COMPLETE'.");
}

TEST(StepTest, BackoffShowsDelayedAndBlocksStart) {
  step s = broker0();
  EXPECT_TRUE(s.on_delayed());
  EXPECT_EQ(s.status(), status::delayed);
  EXPECT_TRUE(s.delayed());
  EXPECT_FALSE(s.is_launchable());
  EXPECT_FALSE(s.start());
  EXPECT_TRUE(s.on_delay_expired());
  EXPECT_EQ(s.status(), status::pending);
  EXPECT_TRUE(s.start());
}

TEST(StepTest, InterruptShowsWaitingOnlyBeforeLaunch) {
  for (status from : {status::pending, status::prepared}) {
    step s = at(from);
    s.interrupt();
    EXPECT_EQ(s.status(), status::waiting) << to_string(from);
    EXPECT_FALSE(s.start());
    s.proceed();
    EXPECT_EQ(s.status(), from);
  }
  step delayed = broker0();
  EXPECT_TRUE(delayed.on_delayed());
  delayed.interrupt();
  EXPECT_EQ(delayed.status(), status::waiting);
}

TEST(StepTest, InterruptDoesNotStopWorkUnderWay) {
  step s = at(status::prepared);
  s.interrupt();
  EXPECT_TRUE(s.on_launched());  // the launch was already decided
  EXPECT_EQ(s.status(), status::starting);
  EXPECT_TRUE(s.on_running());
  EXPECT_EQ(s.status(), status::started);
  EXPECT_TRUE(s.on_ready());
  EXPECT_EQ(s.status(), status::complete);
  EXPECT_TRUE(s.interrupted());
}

TEST(StepTest, RestartReturnsToPendingFromAnywhere) {
  for (status from : {status::pending, status::prepared, status::starting, status::started, status::complete}) {
    step s = at(from);
    EXPECT_TRUE(s.restart()) << to_string(from);
    EXPECT_EQ(s.status(), status::pending);
  }
  step s = broker0();
  EXPECT_TRUE(s.on_failed("TASK_FAILED"));
  EXPECT_TRUE(s.on_delayed());
  EXPECT_TRUE(s.restart());
  EXPECT_EQ(s.status(), status::pending);  // the restart clears the backoff ...
  EXPECT_TRUE(s.last_failure().empty());   // ... and the failure
}

TEST(StepTest, ForceCompleteFromAnywhere) {
  for (status from : {status::pending, status::prepared, status::starting, status::started, status::complete}) {
    step s = at(from);
    EXPECT_TRUE(s.force_complete()) << to_string(from);
    EXPECT_EQ(s.status(), status::complete);
  }
  step s = broker0();
  EXPECT_TRUE(s.on_delayed());
  EXPECT_TRUE(s.force_complete());
  EXPECT_FALSE(s.delayed());
}

TEST(StepTest, ErrorsAreSticky) {
  step s("broker-0:[node]", "broker-0", status::pending, {"volume size cannot change"});
  EXPECT_EQ(s.status(), status::error);
  EXPECT_FALSE(s.start());
  EXPECT_FALSE(s.restart());
  EXPECT_FALSE(s.force_complete());
  EXPECT_FALSE(s.on_failed("TASK_FAILED"));
  EXPECT_EQ(s.status(), status::error);

  step running = at(status::starting);
  running.add_error("invalid");
  EXPECT_EQ(running.status(), status::error);
  EXPECT_FALSE(running.on_ready());
  EXPECT_FALSE(running.is_working());
  EXPECT_EQ(running.errors(), std::vector<std::string>{"invalid"});
}

TEST(StepTest, InitialStatus) {
  EXPECT_EQ(step("broker-0:[node]", "broker-0", status::complete).status(), status::complete);
  EXPECT_THROW(step("broker-0:[node]", "broker-0", status::starting), std::invalid_argument);
  EXPECT_THROW(step("", "broker-0"), std::invalid_argument);
}

TEST(StepTest, AssetAndWorkFlags) {
  struct row {
    status at;
    bool launchable, holds, working;
  };
  const std::vector<row> rows = {
      {status::pending, true, false, false},  {status::prepared, true, true, true},
      {status::starting, false, true, true},  {status::started, false, true, true},
      {status::complete, false, false, false},
  };
  for (const auto& r : rows) {
    const step s = at(r.at);
    EXPECT_EQ(s.is_launchable(), r.launchable) << to_string(r.at);
    EXPECT_EQ(s.holds_asset(), r.holds) << to_string(r.at);
    EXPECT_EQ(s.is_working(), r.working) << to_string(r.at);
  }
  // An interrupted PREPARED step shows WAITING and lets its pod go (as in the SDK), but task
  // events for the pod still belong to it.
  step s = at(status::prepared);
  s.interrupt();
  EXPECT_FALSE(s.holds_asset());
  EXPECT_TRUE(s.is_working());
  EXPECT_FALSE(s.is_launchable());
}

}  // namespace
}  // namespace ternmq::scheduler::plans
