// The plan and pod trees, drawn exactly as the SDK CLI draws them.
#include "scheduler/cli/status_tree.hpp"

#include <gtest/gtest.h>

namespace ternmq::scheduler::cli {
namespace {

using nlohmann::json;

json step(const std::string& name, const std::string& status) { return {{"name", name}, {"status", status}, {"id", "x"}}; }

TEST(PlanTree, OnePhaseAsTheSdkCliPrintsIt) {
  const json plan = {{"strategy", "serial"},
                     {"status", "IN_PROGRESS"},
                     {"errors", json::array()},
                     {"phases",
                      {{{"name", "node"},
                        {"strategy", "serial"},
                        {"status", "IN_PROGRESS"},
                        {"steps",
                         {step("node-0:[broker]", "COMPLETE"), step("node-1:[broker]", "STARTING"),
                          step("node-2:[broker]", "PENDING")}}}}}};
  EXPECT_EQ(render_plan_tree("deploy", plan),
            "deploy (serial strategy) (IN_PROGRESS)\n"
            "└─ node (serial strategy) (IN_PROGRESS)\n"
            "   ├─ node-0:[broker] (COMPLETE)\n"
            "   ├─ node-1:[broker] (STARTING)\n"
            "   └─ node-2:[broker] (PENDING)\n");
}

TEST(PlanTree, SeveralPhasesAndErrors) {
  const json plan = {
      {"strategy", "parallel"},
      {"status", "ERROR"},
      {"errors", {"pods.node.count: cannot shrink from 3 to 2"}},
      {"phases",
       {{{"name", "init"}, {"strategy", "serial"}, {"status", "COMPLETE"}, {"steps", {step("node-0:[init]", "COMPLETE")}}},
        {{"name", "node"}, {"strategy", "parallel-canary"}, {"status", "ERROR"}, {"steps", {step("node-0:[broker]", "ERROR")}}},
        {{"name", "empty"}, {"strategy", "serial"}, {"status", "COMPLETE"}, {"steps", json::array()}}}}};
  EXPECT_EQ(render_plan_tree("update", plan),
            "update (parallel strategy) (ERROR)\n"
            "├─ init (serial strategy) (COMPLETE)\n"
            "│  └─ node-0:[init] (COMPLETE)\n"
            "├─ node (parallel-canary strategy) (ERROR)\n"
            "│  └─ node-0:[broker] (ERROR)\n"
            "└─ empty (serial strategy) (COMPLETE)\n"
            "\n"
            "Errors:\n"
            "- pods.node.count: cannot shrink from 3 to 2\n");
}

TEST(PlanTree, MissingFieldsPrintAsQuestionMarks) {
  EXPECT_EQ(render_plan_tree("p", json::object()), "p (? strategy) (?)\n");
  EXPECT_EQ(render_plan_tree("p", json::array()), "p (? strategy) (?)\n");
}

TEST(PodTree, AllPodsAndOnePod) {
  const json node0 = {{"name", "node-0"}, {"tasks", {{{"id", "a"}, {"name", "node-0-broker"}, {"status", "RUNNING"}}}}};
  const json node1 = {{"name", "node-1"}, {"tasks", json::array()}};
  const json node2 = {{"name", "node-2"}, {"tasks", {{{"id", "c"}, {"name", "node-2-broker"}, {"status", "FAILED"}}}}};
  const json all = {{"service", "ternmq"}, {"pods", {{{"name", "node"}, {"instances", {node0, node1, node2}}}}}};
  EXPECT_EQ(render_pods_tree(all),
            "ternmq\n"
            "└─ node\n"
            "   ├─ node-0\n"
            "   │  └─ node-0-broker (RUNNING)\n"
            "   ├─ node-1\n"
            "   └─ node-2\n"
            "      └─ node-2-broker (FAILED)\n");
  EXPECT_EQ(render_pod_tree(node0), "node-0\n└─ node-0-broker (RUNNING)\n");
}

}  // namespace
}  // namespace ternmq::scheduler::cli
