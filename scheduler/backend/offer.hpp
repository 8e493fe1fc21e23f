// What an agent offers the scheduler (Mesos `Offer`, reduced to what the evaluation uses): free
// scalar resources, free host port ranges, where it is and its attributes for placement rules.
// Value types; the Mesos backend builds them from offers, the local backend from its agents.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scheduler/model/port_spec.hpp"
#include "scheduler/model/resources.hpp"

namespace ternmq::scheduler::backend {

struct offer {
  std::string id;
  std::string agent_id;
  std::string hostname;  // placement `hostname` field
  std::string ip;        // the address tasks on this agent are reached at
  model::resources available;
  std::vector<model::port_range> ports;           // free host ports, inclusive ranges
  std::map<std::string, std::string> attributes;  // placement fields other than hostname
  friend bool operator==(const offer&, const offer&) = default;
};

}  // namespace ternmq::scheduler::backend
