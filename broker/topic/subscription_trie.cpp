#include "broker/topic/subscription_trie.hpp"

#include <vector>

namespace ternmq::topic {

struct subscription_trie::node {
  std::unordered_map<std::string, std::unique_ptr<node>> children;
  members plain;
  std::map<std::string, members, std::less<>> groups;

  bool empty() const { return children.empty() && plain.empty() && groups.empty(); }
};

namespace {

// Calls `f(level)` for each '/'-separated level of `s`, including empty ones.
template <class F>
void for_each_level(std::string_view s, F&& f) {
  std::size_t start = 0;
  while (true) {
    const std::size_t end = s.find('/', start);
    if (end == std::string_view::npos) {
      f(s.substr(start));
      return;
    }
    f(s.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace

subscription_trie::subscription_trie() : root_(std::make_unique<node>()) {}
subscription_trie::~subscription_trie() = default;

bool subscription_trie::add(std::string_view filter, std::string_view group, subscriber_id who,
                            const subscription_options& opts) {
  node* n = root_.get();
  for_each_level(filter, [&](std::string_view level) {
    auto it = n->children.find(std::string(level));
    if (it == n->children.end()) it = n->children.emplace(std::string(level), std::make_unique<node>()).first;
    n = it->second.get();
  });
  members* target = &n->plain;
  if (!group.empty()) {
    auto g = n->groups.find(group);
    if (g == n->groups.end()) g = n->groups.emplace(std::string(group), members{}).first;
    target = &g->second;
  }
  const auto [it, inserted] = target->insert_or_assign(who, opts);
  if (inserted) ++count_;
  return inserted;
}

bool subscription_trie::remove(std::string_view filter, std::string_view group, subscriber_id who) {
  std::vector<std::pair<node*, std::string>> path;
  node* n = root_.get();
  bool found = true;
  for_each_level(filter, [&](std::string_view level) {
    if (!found) return;
    auto it = n->children.find(std::string(level));
    if (it == n->children.end()) {
      found = false;
      return;
    }
    path.emplace_back(n, std::string(level));
    n = it->second.get();
  });
  if (!found) return false;
  bool removed = false;
  if (group.empty()) {
    removed = n->plain.erase(who) > 0;
  } else if (auto g = n->groups.find(group); g != n->groups.end()) {
    removed = g->second.erase(who) > 0;
    if (g->second.empty()) n->groups.erase(g);
  }
  if (!removed) return false;
  --count_;
  // Prune nodes left empty, deepest first.
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    auto child = it->first->children.find(it->second);
    if (!child->second->empty()) break;
    it->first->children.erase(child);
  }
  return true;
}

void subscription_trie::match(std::string_view name,
                              const std::function<void(subscriber_id, const subscription_options&)>& on_plain,
                              const std::function<void(const std::string&, const members&)>& on_group) const {
  std::vector<std::string_view> levels;
  for_each_level(name, [&](std::string_view l) { levels.push_back(l); });
  const bool dollar = !name.empty() && name.front() == '$';

  auto emit = [&](const node& n) {
    for (const auto& [who, opts] : n.plain) on_plain(who, opts);
    for (const auto& [g, m] : n.groups) on_group(g, m);
  };
  // Depth-first walk; `depth` is the index of the next level of `name` to match.
  auto walk = [&](auto&& self, const node& n, std::size_t depth) -> void {
    const bool wildcard_allowed = !(dollar && depth == 0);
    if (wildcard_allowed) {
      if (auto h = n.children.find("#"); h != n.children.end()) emit(*h->second);
    }
    if (depth == levels.size()) {
      emit(n);
      return;
    }
    if (auto c = n.children.find(std::string(levels[depth])); c != n.children.end()) self(self, *c->second, depth + 1);
    if (wildcard_allowed) {
      if (auto p = n.children.find("+"); p != n.children.end()) self(self, *p->second, depth + 1);
    }
  };
  walk(walk, *root_, 0);
}

}  // namespace ternmq::topic
