// What may change between the target service spec and a newly rendered one, and which pod
// instances an accepted change restarts (dcos-commons DefaultConfigurationUpdater and its config
// validators). Each validator is named as the rule it enforces and returns one error per breach;
// an update is accepted only when all of them return none. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scheduler/model/names.hpp"
#include "scheduler/model/service_spec.hpp"

namespace ternmq::scheduler::spec {

// One breach of an update rule: `field` is the YAML path, `reason` says what is wrong,
// e.g. {"pod_count_cannot_shrink", "pods.node.count", "cannot shrink from 5 to 3 ..."}.
struct config_error {
  std::string validator;
  std::string field;
  std::string reason;

  std::string message() const { return field + ": " + reason; }  // "pods.node.count: cannot shrink from 5 to 3 ..."
  friend bool operator==(const config_error&, const config_error&) = default;
};

using config_validator = std::vector<config_error> (*)(const model::service_spec& old_spec,
                                                       const model::service_spec& new_spec);

// `count` may grow; it may shrink only when the new spec sets `allow-decommission: true`.
std::vector<config_error> pod_count_cannot_shrink(const model::service_spec& old_spec,
                                                  const model::service_spec& new_spec);
// A persistent volume (pod or task level) keeps its path, type and size, and none is added or
// removed: Mesos cannot resize or move a reserved volume in place. Volumes are matched by path;
// moving one between `volume:` and `volumes:` is not a change.
std::vector<config_error> volume_cannot_change(const model::service_spec& old_spec,
                                               const model::service_spec& new_spec);
// A pod type stays unless the old spec allowed decommissioning it (`allow-decommission: true`).
std::vector<config_error> pod_type_cannot_be_removed(const model::service_spec& old_spec,
                                                     const model::service_spec& new_spec);
// The service name is the framework's identity (ZooKeeper path, DNS names, reservations).
std::vector<config_error> service_name_cannot_change(const model::service_spec& old_spec,
                                                     const model::service_spec& new_spec);
// The user of the service and of each pod type stays: files in persistent volumes belong to it.
std::vector<config_error> user_cannot_change(const model::service_spec& old_spec,
                                             const model::service_spec& new_spec);

struct named_validator {
  std::string_view name;
  config_validator check;
};

// The validators above, in the order `validate_config_update` runs them.
const std::vector<named_validator>& default_config_validators();

// Every error of every default validator; empty when `new_spec` may replace `old_spec`.
std::vector<config_error> validate_config_update(const model::service_spec& old_spec,
                                                 const model::service_spec& new_spec);

// The pod instances an update from `old_spec` to `new_spec` must (re)launch, in `new_spec`'s pod
// order, then by index: every instance of a pod type whose effective spec changed, every instance of
// a new pod type, and the new indices when `count` grows. The effective spec is the pod spec
// without `count`, `placement`, `allow-decommission` and `pre-reserved-role` (which do not move or
// restart running pods, as in dcos-commons), with the user resolved against the service's. Instances
// removed by a shrink are not listed (see `pods_to_decommission`).
std::vector<model::pod_instance> pods_to_roll(const model::service_spec& old_spec, const model::service_spec& new_spec);

// The pod instances an update removes: indices at or above a smaller `count`, and every instance of
// a removed pod type; highest index first within a pod type, as dcos-commons decommissions them.
std::vector<model::pod_instance> pods_to_decommission(const model::service_spec& old_spec,
                                                      const model::service_spec& new_spec);

}  // namespace ternmq::scheduler::spec
