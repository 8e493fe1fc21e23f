// Tests for phases: serial and parallel candidates, interruption, canaries, restart, force-complete
// and the phase's rolled-up status, all from a hand-driven sequence of step events.
#include "scheduler/plan/phase.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "scheduler/plan/element_id.hpp"
#include "tests/unit/scheduler/plan/plan_test_support.hpp"

namespace ternmq::scheduler::plans {
namespace {

using test_support::complete;
using test_support::names;
using test_support::pod_phase;
using test_support::pod_steps;
using strings = std::vector<std::string>;

TEST(PhaseTest, SerialOffersOneStepAtATimeInOrder) {
  phase p = pod_phase("broker", 3);
  EXPECT_EQ(names(p.strategy_candidates()), strings{"broker-0:[node]"});
  EXPECT_EQ(p.status(), status::pending);

  step& first = p.steps()[0];
  ASSERT_TRUE(first.start());
  EXPECT_EQ(names(p.strategy_candidates()), strings{"broker-0:[node]"});
  EXPECT_EQ(p.status(), status::in_progress);  // a PREPARED child
  ASSERT_TRUE(first.on_launched());
  ASSERT_TRUE(first.on_running());
  EXPECT_EQ(names(p.strategy_candidates()), strings{"broker-0:[node]"});  // still waits for readiness
  EXPECT_EQ(p.status(), status::started);
  ASSERT_TRUE(first.on_ready());
  EXPECT_EQ(names(p.strategy_candidates()), strings{"broker-1:[node]"});  // only now the next
  EXPECT_EQ(p.status(), status::in_progress);

  complete(p.steps()[1]);
  EXPECT_EQ(names(p.strategy_candidates()), strings{"broker-2:[node]"});
  complete(p.steps()[2]);
  EXPECT_TRUE(p.strategy_candidates().empty());
  EXPECT_EQ(p.status(), status::complete);
}

TEST(PhaseTest, SerialRetriesAFailedStepBeforeMovingOn) {
  phase p = pod_phase("broker", 2);
  step& first = p.steps()[0];
  ASSERT_TRUE(first.start());
  ASSERT_TRUE(first.on_launched());
  ASSERT_TRUE(first.on_failed("TASK_FAILED"));
  EXPECT_EQ(names(p.strategy_candidates()), strings{"broker-0:[node]"});
  EXPECT_EQ(p.status(), status::pending);
}

TEST(PhaseTest, ParallelOffersEveryIncompleteStep) {
  phase p = pod_phase("broker", 3, strategy::parallel);
  EXPECT_EQ(names(p.strategy_candidates()), (strings{"broker-0:[node]", "broker-1:[node]", "broker-2:[node]"}));
  complete(p.steps()[1]);
  EXPECT_EQ(names(p.strategy_candidates()), (strings{"broker-0:[node]", "broker-2:[node]"}));
  EXPECT_EQ(p.status(), status::in_progress);
}

TEST(PhaseTest, InterruptStopsNewCandidatesButNotTheStepUnderWay) {
  phase p = pod_phase("broker", 2);
  step& first = p.steps()[0];
  ASSERT_TRUE(first.start());
  ASSERT_TRUE(first.on_launched());
  p.interrupt();
  EXPECT_TRUE(p.interrupted());
  EXPECT_TRUE(p.strategy_candidates().empty());
  EXPECT_EQ(p.status(), status::waiting);
  EXPECT_EQ(first.status(), status::starting);  // untouched

  ASSERT_TRUE(first.on_ready());  // the launch finishes anyway
  EXPECT_TRUE(p.strategy_candidates().empty());  // ... and the next one does not start
  EXPECT_EQ(p.status(), status::waiting);

  p.proceed();
  EXPECT_EQ(names(p.strategy_candidates()), strings{"broker-1:[node]"});
  EXPECT_EQ(p.status(), status::in_progress);
}

TEST(PhaseTest, AnInterruptedStepHoldsUpASerialPhase) {
  phase p = pod_phase("broker", 2);
  p.steps()[0].interrupt();
  EXPECT_TRUE(p.strategy_candidates().empty());
  EXPECT_EQ(p.status(), status::waiting);

  phase parallel = pod_phase("broker", 2, strategy::parallel);
  parallel.steps()[0].interrupt();
  EXPECT_EQ(names(parallel.strategy_candidates()), strings{"broker-1:[node]"});
  EXPECT_EQ(parallel.status(), status::pending);
}

TEST(PhaseTest, ErrorsBlockAndRollUp) {
  std::vector<step> steps = pod_steps("broker", 2);
  steps[0].add_error("cpus cannot change");
  phase p("broker", strategy::serial, std::move(steps));
  EXPECT_TRUE(p.strategy_candidates().empty());
  EXPECT_EQ(p.status(), status::error);
  EXPECT_EQ(p.errors(), strings{"cpus cannot change"});

  phase own = pod_phase("broker", 1);
  own.add_error("phase error");
  EXPECT_EQ(own.status(), status::error);
}

TEST(PhaseTest, BusyPodsAreNotOffered) {
  phase p = pod_phase("broker", 3, strategy::parallel);
  EXPECT_EQ(names(p.strategy_candidates({"broker-1"})), (strings{"broker-0:[node]", "broker-2:[node]"}));
  phase serial = pod_phase("broker", 2);
  EXPECT_TRUE(serial.strategy_candidates({"broker-0"}).empty());  // the serial head is busy: wait
}

TEST(PhaseTest, RestartAndForceComplete) {
  phase p = pod_phase("broker", 3, strategy::parallel);
  complete(p.steps()[0]);
  ASSERT_TRUE(p.steps()[1].start());
  p.restart();
  EXPECT_EQ(test_support::statuses(p), (std::vector<status>{status::pending, status::pending, status::pending}));
  p.force_complete();
  EXPECT_EQ(p.status(), status::complete);
}

TEST(PhaseTest, RolledUpStatusExamples) {
  phase empty("empty", strategy::serial, {});
  EXPECT_EQ(empty.status(), status::complete);

  phase delayed = pod_phase("broker", 2);
  complete(delayed.steps()[0]);
  ASSERT_TRUE(delayed.steps()[1].on_delayed());
  EXPECT_EQ(delayed.status(), status::delayed);  // the SDK would say ERROR here

  phase all_delayed = pod_phase("broker", 2, strategy::parallel);
  ASSERT_TRUE(all_delayed.steps()[0].on_delayed());
  ASSERT_TRUE(all_delayed.steps()[1].on_delayed());
  EXPECT_EQ(all_delayed.status(), status::delayed);

  phase starting = pod_phase("broker", 2);
  ASSERT_TRUE(starting.steps()[0].start());
  ASSERT_TRUE(starting.steps()[0].on_launched());
  EXPECT_EQ(starting.status(), status::starting);
}

TEST(PhaseTest, IdsComeFromThePath) {
  const phase p = pod_phase("broker", 1);
  EXPECT_EQ(p.id(), element_id("broker"));
  EXPECT_EQ(p.steps()[0].id(), element_id("broker/broker-0:[node]"));
  EXPECT_EQ(p.find_step(p.steps()[0].id()), &p.steps()[0]);
  EXPECT_EQ(p.find_step("broker-0:[node]"), &p.steps()[0]);
  EXPECT_EQ(p.find_step("broker-9:[node]"), nullptr);
}

TEST(PhaseTest, DuplicateStepNamesAreRejected) {
  std::vector<step> steps = pod_steps("broker", 1);
  steps.push_back(steps.front());
  EXPECT_THROW(phase("broker", strategy::serial, std::move(steps)), std::invalid_argument);
  EXPECT_THROW(phase("", strategy::serial, {}), std::invalid_argument);
}

TEST(PhaseTest, SerialCanaryWaitsForTwoContinues) {
  phase p = pod_phase("broker", 4, strategy::serial_canary);
  EXPECT_TRUE(p.interrupted());
  EXPECT_TRUE(p.strategy_candidates().empty());
  EXPECT_EQ(p.status(), status::waiting);

  p.interrupt();  // ignored: the canary already holds the phase
  p.proceed();    // first continue: the first step only
  EXPECT_EQ(names(p.strategy_candidates()), strings{"broker-0:[node]"});
  EXPECT_FALSE(p.interrupted());
  complete(p.steps()[0]);
  EXPECT_TRUE(p.strategy_candidates().empty());  // waits for the operator to check the canary
  EXPECT_EQ(p.status(), status::waiting);

  p.proceed();  // second continue: the rest, serially
  EXPECT_EQ(names(p.strategy_candidates()), strings{"broker-1:[node]"});
  complete(p.steps()[1]);
  EXPECT_EQ(names(p.strategy_candidates()), strings{"broker-2:[node]"});

  p.interrupt();  // after the canary, an ordinary interrupt
  EXPECT_TRUE(p.strategy_candidates().empty());
  p.proceed();
  EXPECT_EQ(names(p.strategy_candidates()), strings{"broker-2:[node]"});
}

TEST(PhaseTest, ParallelCanaryReleasesTheRestTogether) {
  phase p = pod_phase("broker", 4, strategy::parallel_canary);
  p.proceed();
  EXPECT_EQ(names(p.strategy_candidates()), strings{"broker-0:[node]"});
  complete(p.steps()[0]);
  p.proceed();
  EXPECT_EQ(names(p.strategy_candidates()), (strings{"broker-1:[node]", "broker-2:[node]", "broker-3:[node]"}));
}

TEST(PhaseTest, CanarySkipsStepsAlreadyComplete) {
  std::vector<step> steps = pod_steps("broker", 3);
  steps[0] = step("broker-0:[node]", "broker-0", status::complete);
  phase p("broker", strategy::serial_canary, std::move(steps));
  p.proceed();
  EXPECT_EQ(names(p.strategy_candidates()), strings{"broker-1:[node]"});
}

}  // namespace
}  // namespace ternmq::scheduler::plans
