// Builders shared by the offer tests: agents' offers and placed instances with few keystrokes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "scheduler/backend/offer.hpp"
#include "scheduler/offer/placement.hpp"

namespace ternmq::scheduler::offers::test {

// An offer from agent `local-agent-<n>` (hostname the same), 4 cpus, 8 GB, 100 GB, ports 1025-2000.
inline backend::offer agent_offer(int n, std::map<std::string, std::string> attributes = {}) {
  const std::string agent = "local-agent-" + std::to_string(n);
  backend::offer o;
  o.id = "offer-" + std::to_string(n);
  o.agent_id = agent;
  o.hostname = agent;
  o.ip = "10.0.0." + std::to_string(n + 1);
  o.available = {4, 8192, 100000};
  o.ports = {{1025, 2000}};
  o.attributes = std::move(attributes);
  return o;
}

inline placed_instance placed(std::string name, std::string hostname, std::map<std::string, std::string> attributes = {}) {
  return {std::move(name), std::move(hostname), std::move(attributes)};
}

}  // namespace ternmq::scheduler::offers::test
