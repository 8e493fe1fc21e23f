#include "broker/topic/retained_store.hpp"

#include <map>
#include <mutex>
#include <vector>

namespace ternmq::topic {

struct retained_store::node {
  std::map<std::string, std::unique_ptr<node>, std::less<>> children;
  std::string name;  // full topic name when `value` is set
  value_type value;
};

retained_store::retained_store() : root_(std::make_unique<node>()) {}
retained_store::~retained_store() = default;

void retained_store::put(std::string_view name, value_type value) {
  std::unique_lock lock(mutex_);
  std::vector<std::pair<node*, std::string>> path;
  node* n = root_.get();
  std::size_t start = 0;
  while (true) {
    const std::size_t end = name.find('/', start);
    const std::string level(name.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    auto it = n->children.find(level);
    if (it == n->children.end()) {
      if (!value) return;  // clearing a topic that holds nothing
      it = n->children.emplace(level, std::make_unique<node>()).first;
    }
    path.emplace_back(n, level);
    n = it->second.get();
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (value) {
    if (!n->value) ++size_;
    n->name = std::string(name);
    n->value = std::move(value);
    return;
  }
  if (n->value) --size_;
  n->value.reset();
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    auto child = it->first->children.find(it->second);
    if (child->second->value || !child->second->children.empty()) break;
    it->first->children.erase(child);
  }
}

void retained_store::match(std::string_view filter,
                           const std::function<void(const std::string&, const value_type&)>& f) const {
  std::vector<std::string_view> levels;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = filter.find('/', start);
    levels.push_back(filter.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  std::shared_lock lock(mutex_);
  auto all_below = [&](auto&& self, const node& n) -> void {
    if (n.value) f(n.name, n.value);
    for (const auto& [_, c] : n.children) self(self, *c);
  };
  auto walk = [&](auto&& self, const node& n, std::size_t depth) -> void {
    if (depth == levels.size()) {
      if (n.value) f(n.name, n.value);
      return;
    }
    const std::string_view level = levels[depth];
    // Wildcards at the first level never match topics starting with '$' (MQTT-4.7.2-1).
    auto skip = [&](const std::string& child_level) { return depth == 0 && !child_level.empty() && child_level[0] == '$'; };
    if (level == "#") {
      if (n.value && depth > 0) f(n.name, n.value);  // "a/#" matches "a"
      for (const auto& [l, c] : n.children)
        if (!skip(l)) all_below(all_below, *c);
      return;
    }
    if (level == "+") {
      for (const auto& [l, c] : n.children)
        if (!skip(l)) self(self, *c, depth + 1);
      return;
    }
    if (auto it = n.children.find(level); it != n.children.end()) self(self, *it->second, depth + 1);
  };
  walk(walk, *root_, 0);
}

void retained_store::for_each(const std::function<void(const std::string&, const value_type&)>& f) const {
  std::shared_lock lock(mutex_);
  auto all = [&](auto&& self, const node& n) -> void {
    if (n.value) f(n.name, n.value);
    for (const auto& [_, c] : n.children) self(self, *c);
  };
  all(all, *root_);
}

std::size_t retained_store::size() const {
  std::shared_lock lock(mutex_);
  return size_;
}

}  // namespace ternmq::topic
