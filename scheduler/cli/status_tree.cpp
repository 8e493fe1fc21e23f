// Drawing plans and pods as the SDK CLI's box-drawing trees.
#include "scheduler/cli/status_tree.hpp"

namespace ternmq::scheduler::cli {
namespace {

using nlohmann::json;

std::string text_of(const json& object, const char* key) {
  if (!object.is_object()) return "?";
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "?";
}

const json& list_of(const json& object, const char* key) {
  static const json empty = json::array();
  if (!object.is_object()) return empty;
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : empty;
}

void render_children(const tree_node& node, const std::string& prefix, std::string& out) {
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    const bool last = i + 1 == node.children.size();
    out += prefix + (last ? "└─ " : "├─ ") + node.children[i].label + "\n";
    render_children(node.children[i], prefix + (last ? "   " : "│  "), out);
  }
}

// "node-0" with its tasks "node-0-broker (RUNNING)".
tree_node instance_node(const json& instance) {
  tree_node node{text_of(instance, "name"), {}};
  for (const json& task : list_of(instance, "tasks")) {
    node.children.push_back({text_of(task, "name") + " (" + text_of(task, "status") + ")", {}});
  }
  return node;
}

}  // namespace

std::string render_tree(const tree_node& root) {
  std::string out = root.label + "\n";
  render_children(root, "", out);
  return out;
}

std::string render_plan_tree(std::string_view plan_name, const json& plan_info) {
  auto element = [](const std::string& name, const json& e) {
    return name + " (" + text_of(e, "strategy") + " strategy) (" + text_of(e, "status") + ")";
  };
  tree_node root{element(std::string(plan_name), plan_info), {}};
  for (const json& phase : list_of(plan_info, "phases")) {
    tree_node phase_node{element(text_of(phase, "name"), phase), {}};
    for (const json& step : list_of(phase, "steps")) {
      phase_node.children.push_back({text_of(step, "name") + " (" + text_of(step, "status") + ")", {}});
    }
    root.children.push_back(std::move(phase_node));
  }
  std::string out = render_tree(root);
  const json& errors = list_of(plan_info, "errors");
  if (!errors.empty()) {
    out += "\nErrors:\n";
    for (const json& e : errors) out += "- " + (e.is_string() ? e.get<std::string>() : e.dump()) + "\n";
  }
  return out;
}

std::string render_pods_tree(const json& pod_statuses) {
  tree_node root{text_of(pod_statuses, "service"), {}};
  for (const json& pod : list_of(pod_statuses, "pods")) {
    tree_node type{text_of(pod, "name"), {}};
    for (const json& instance : list_of(pod, "instances")) type.children.push_back(instance_node(instance));
    root.children.push_back(std::move(type));
  }
  return render_tree(root);
}

std::string render_pod_tree(const json& pod_status) { return render_tree(instance_node(pod_status)); }

}  // namespace ternmq::scheduler::cli
