// What one launch of a pod instance needs from an offer, and what it gets from the offer that fits.
// The scheduler builds a `pod_requirement` from the pod spec and the state store (resources of the
// tasks to launch, ports, the agent and ports of an earlier launch, where the other instances run);
// the offer evaluator answers with an `offer_match` or with why no offer fits. Value types.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scheduler/model/names.hpp"
#include "scheduler/model/port_spec.hpp"
#include "scheduler/model/resources.hpp"
#include "scheduler/offer/placement.hpp"
#include "scheduler/offer/placement_rule.hpp"
#include "scheduler/offer/port_assignment.hpp"

namespace ternmq::scheduler::offers {

struct pod_requirement {
  model::pod_instance pod;                   // {"node", 3}
  model::resources resources;                // summed over the tasks to launch, volumes included
  std::vector<model::port_spec> ports;       // of those tasks, in spec order
  port_map reserved_ports;                   // name -> port of an earlier launch (in-place relaunch)
  std::optional<std::string> agent_id;       // set: only this agent's offers qualify (in-place relaunch)
  placement_rules placement;                 // parsed `placement:` of the pod spec
  std::vector<placed_instance> others;       // where the other instances of the pod type run
  friend bool operator==(const pod_requirement&, const pod_requirement&) = default;
};

// The offer chosen and the host ports assigned in it.
struct offer_match {
  std::string offer_id;
  std::string agent_id;
  std::string hostname;
  std::string ip;
  port_map ports;
  friend bool operator==(const offer_match&, const offer_match&) = default;
};

}  // namespace ternmq::scheduler::offers
