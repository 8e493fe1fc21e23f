// Whether an offer satisfies a pod's placement rules, given where the other instances of the same pod
// type run. Operators, as Marathon defines them (dcos-commons `MarathonConstraintParser` maps them to
// the same behaviour); "the field" is the offer's hostname or attribute the rule names, and "the
// others" are the other instances that have that field:
//
//   UNIQUE        no other has the offer's value.
//   CLUSTER v     the offer's value is v. Without v: the value the others have (any, when none runs).
//   LIKE re       the offer's whole value matches re (ECMAScript).
//   UNLIKE re     the offer's value does not match re. An offer without the field passes.
//   IS v          the offer's value is v.
//   MAX_PER n     fewer than n others have the offer's value.
//   GROUP_BY [n]  the offer's value is not used yet, or it is one of the least used values and at
//                 least n values are in use (Marathon's rule: with 3 racks and n = 3, the first three
//                 instances go to three different racks, later ones to the emptiest rack).
//
// Except for UNLIKE, an offer without the field fails. Instances are matched by pod instance name;
// the instance being placed is ignored if it is in `others` (a relaunch replaces it).
//
// Pure; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.hpp"
#include "scheduler/backend/offer.hpp"
#include "scheduler/offer/placement_rule.hpp"

namespace ternmq::scheduler::offers {

// Where another instance of the pod type runs (from its task records).
struct placed_instance {
  std::string pod_instance;  // "node-0"
  std::string hostname;
  std::map<std::string, std::string> attributes;
  friend bool operator==(const placed_instance&, const placed_instance&) = default;
};

// Success, or the first rule the offer breaks with the reason, e.g.
//   "hostname UNIQUE: node-0 already runs on local-agent-0"
//   "rack MAX_PER 2: node-0 and node-2 already run on rack rack-1"
core::status check_placement(const placement_rules& rules, const backend::offer& offer,
                             std::string_view pod_instance, const std::vector<placed_instance>& others);

// One rule; `check_placement` checks them in order.
core::status check_placement_rule(const placement_rule& rule, const backend::offer& offer,
                                  std::string_view pod_instance, const std::vector<placed_instance>& others);

}  // namespace ternmq::scheduler::offers
