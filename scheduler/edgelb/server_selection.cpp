#include "scheduler/edgelb/server_selection.hpp"

#include <algorithm>
#include <optional>
#include <regex>
#include <set>

#include "core/base/log.hpp"
#include "scheduler/edgelb/edgelb_errc.hpp"

namespace ternmq::scheduler::edgelb {
namespace {

// A name condition: exact text, a compiled pattern, or anything (neither given).
class name_matcher {
 public:
  static core::result<name_matcher> make(const std::string& exact, const std::string& pattern) {
    name_matcher m;
    m.exact_ = exact;
    if (!pattern.empty()) {
      try {
        m.pattern_.emplace(pattern, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return make_error(edgelb_errc::invalid_pool,
                          "\"" + pattern + "\" is not a valid regular expression: " + e.what());
      }
    }
    return m;
  }

  bool matches(const std::string& name) const {
    if (!exact_.empty()) return name == exact_;
    if (pattern_) return std::regex_match(name, *pattern_);
    return true;
  }

 private:
  std::string exact_;
  std::optional<std::regex> pattern_;
};

struct candidate {
  std::string task_name;
  std::string framework_name;
  socket_address address;
  friend auto operator<=>(const candidate&, const candidate&) = default;
};

}  // namespace

std::string haproxy_name(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                         c == '_' || c == '.' || c == ':';
    if (!allowed) c = '_';
  }
  return out.empty() ? std::string("_") : out;
}

core::result<std::vector<backend_server>> select_servers(const pool_backend& backend,
                                                         std::span<const task_endpoint> tasks) {
  // A set: a task selected by two services for the same port is one server.
  std::set<candidate> found;
  for (const auto& service : backend.services) {
    auto framework = name_matcher::make(service.mesos.framework_name, service.mesos.framework_name_pattern);
    if (!framework) return framework.err();
    auto task = name_matcher::make(service.mesos.task_name, service.mesos.task_name_pattern);
    if (!task) return task.err();
    for (const auto& t : tasks) {
      if (!framework->matches(t.framework_name) || !task->matches(t.task_name)) continue;
      const auto port = t.ports.find(service.port_name);
      if (port == t.ports.end()) {
        TERNMQ_LOG(debug) << "edgelb: backend " << backend.name << ": task " << t.task_name << " has no port named "
                          << service.port_name;
        continue;
      }
      found.insert(candidate{t.task_name, t.framework_name, port->second});
    }
  }
  std::vector<backend_server> servers;
  std::set<std::string> taken;
  for (const auto& c : found) {
    const std::string base = haproxy_name(c.task_name);
    std::string name = base;
    for (int n = 2; taken.contains(name); ++n) name = base + "-" + std::to_string(n);
    taken.insert(name);
    servers.push_back(backend_server{std::move(name), c.address});
  }
  std::sort(servers.begin(), servers.end(),
            [](const backend_server& a, const backend_server& b) { return a.name < b.name; });
  return servers;
}

}  // namespace ternmq::scheduler::edgelb
