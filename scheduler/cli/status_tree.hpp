// The text trees `ternmq-cli` prints for plans and pods, as the SDK's CLI draws them:
//
//   deploy (serial strategy) (IN_PROGRESS)          ternmq
//   └─ node (serial strategy) (IN_PROGRESS)         └─ node
//      ├─ node-0:[broker] (COMPLETE)                   ├─ node-0
//      ├─ node-1:[broker] (STARTING)                   │  └─ node-0-broker (RUNNING)
//      └─ node-2:[broker] (PENDING)                    └─ node-1
//
// A plan with errors gets an "Errors:" list after a blank line. Input is the API's JSON (PlanInfo,
// pod statuses); missing fields print as "?" rather than failing, since the tree is for people.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ternmq::scheduler::cli {

struct tree_node {
  std::string label;
  std::vector<tree_node> children;
};

// The tree, one line per node, each ending in '\n'.
std::string render_tree(const tree_node& root);

// From `GET /v1/plans/<plan>`.
std::string render_plan_tree(std::string_view plan_name, const nlohmann::json& plan_info);
// From `GET /v1/pod/status` (service, pod types, instances, tasks).
std::string render_pods_tree(const nlohmann::json& pod_statuses);
// From `GET /v1/pod/<pod>/status` (one instance and its tasks).
std::string render_pod_tree(const nlohmann::json& pod_status);

}  // namespace ternmq::scheduler::cli
