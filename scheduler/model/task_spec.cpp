#include "scheduler/model/task_spec.hpp"

#include <algorithm>

namespace ternmq::scheduler::model {

std::string_view to_string(task_goal goal) {
  switch (goal) {
    case task_goal::running: return "RUNNING";
    case task_goal::finish: return "FINISH";
    case task_goal::once: return "ONCE";
  }
  return "?";
}

std::optional<task_goal> parse_task_goal(std::string_view text) {
  if (text == "RUNNING") return task_goal::running;
  if (text == "FINISH") return task_goal::finish;
  if (text == "ONCE") return task_goal::once;
  return std::nullopt;
}

std::string_view to_string(encryption_type type) {
  switch (type) {
    case encryption_type::tls: return "TLS";
    case encryption_type::keystore: return "KEYSTORE";
  }
  return "?";
}

const port_spec* task_spec::find_port(std::string_view port_name) const {
  const auto it = std::find_if(ports.begin(), ports.end(), [&](const port_spec& p) { return p.name == port_name; });
  return it == ports.end() ? nullptr : &*it;
}

}  // namespace ternmq::scheduler::model
