// Tests for the pod plan builder: SDK step names, one step per pod instance, initial statuses.
#include "scheduler/plan/pod_plan_builder.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace ternmq::scheduler::plans {
namespace {

TEST(PodPlanBuilderTest, StepNamesAsTheSdkPrintsThem) {
  EXPECT_EQ(step_name(pod_instance{"broker", 0, {"node"}}), "broker-0:[node]");
  EXPECT_EQ(step_name(pod_instance{"broker", 12, {"init", "node"}}), "broker-12:[init, node]");
  EXPECT_EQ(pod_instance({"broker", 3, {"node"}}).name(), "broker-3");
}

TEST(PodPlanBuilderTest, OneStepPerPodInstance) {
  const plan p = build_pod_plan("deploy", "broker", strategy::serial, pod_instances("broker", 3, {"node"}));
  EXPECT_EQ(p.name(), "deploy");
  EXPECT_EQ(p.strategy(), strategy::serial);
  ASSERT_EQ(p.phases().size(), 1u);
  const phase& ph = p.phases()[0];
  EXPECT_EQ(ph.name(), "broker");
  EXPECT_EQ(ph.strategy(), strategy::serial);
  ASSERT_EQ(ph.steps().size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(ph.steps()[i].name(), "broker-" + std::to_string(i) + ":[node]");
    EXPECT_EQ(ph.steps()[i].pod_instance(), "broker-" + std::to_string(i));
    EXPECT_EQ(ph.steps()[i].status(), status::pending);
  }
  EXPECT_EQ(p.status(), status::pending);
}

TEST(PodPlanBuilderTest, PodsAlreadyOnTheTargetStartComplete) {
  std::vector<pod_instance> pods = pod_instances("broker", 2, {"node"});
  pods[0].initial = status::complete;
  plan p = build_pod_plan("deploy", "broker", strategy::serial, pods);
  EXPECT_EQ(p.status(), status::in_progress);
  ASSERT_EQ(p.candidates().size(), 1u);
  EXPECT_EQ(p.candidates()[0]->name(), "broker-1:[node]");
}

TEST(PodPlanBuilderTest, EmptyAndInvalidInput) {
  EXPECT_EQ(build_pod_plan("deploy", "broker", strategy::parallel, {}).status(), status::complete);
  std::vector<pod_instance> twice = pod_instances("broker", 1, {"node"});
  twice.push_back(twice.front());
  EXPECT_THROW(build_pod_plan("deploy", "broker", strategy::serial, twice), std::invalid_argument);
  std::vector<pod_instance> bad = pod_instances("broker", 1, {"node"});
  bad[0].initial = status::started;
  EXPECT_THROW(build_pod_plan("deploy", "broker", strategy::serial, bad), std::invalid_argument);
}

TEST(PodPlanBuilderTest, PhasesForAMultiPodDeployPlan) {
  std::vector<phase> phases;
  phases.push_back(build_pod_phase("broker", strategy::parallel, pod_instances("broker", 2, {"node"})));
  phases.push_back(build_pod_phase("bridge", strategy::serial, pod_instances("bridge", 1, {"run"})));
  const plan p("deploy", strategy::serial, std::move(phases));
  EXPECT_EQ(p.phases()[1].steps()[0].name(), "bridge-0:[run]");
}

}  // namespace
}  // namespace ternmq::scheduler::plans
