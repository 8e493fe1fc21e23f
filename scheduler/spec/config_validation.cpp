#include "scheduler/spec/config_validation.hpp"

#include <algorithm>
#include <optional>

namespace ternmq::scheduler::spec {
namespace {

using model::pod_spec;
using model::service_spec;
using model::volume_spec;

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }
std::string pod_path(const pod_spec& pod) { return "pods." + pod.type; }

// Everything in a pod that owns persistent volumes, keyed by its YAML path.
std::vector<std::pair<std::string, const std::vector<volume_spec>*>> volume_owners(const pod_spec& pod) {
  std::vector<std::pair<std::string, const std::vector<volume_spec>*>> out;
  out.emplace_back(pod_path(pod), &pod.volumes);
  for (const auto& set : pod.resource_sets) out.emplace_back(pod_path(pod) + ".resource-sets." + set.name, &set.volumes);
  for (const auto& task : pod.tasks) out.emplace_back(pod_path(pod) + ".tasks." + task.name, &task.volumes);
  return out;
}

std::string volume_path(const std::string& owner, const volume_spec& v) {
  return owner + (v.name.empty() ? ".volume" : ".volumes." + v.name);
}

const volume_spec* find_by(const std::vector<volume_spec>& volumes, auto predicate) {
  const auto it = std::find_if(volumes.begin(), volumes.end(), predicate);
  return it == volumes.end() ? nullptr : &*it;
}

void compare_volumes(const std::string& owner, const std::vector<volume_spec>& before,
                     const std::vector<volume_spec>& after, std::vector<config_error>& errors) {
  constexpr std::string_view k_name = "volume_cannot_change";
  std::vector<const volume_spec*> unmatched_after;
  for (const auto& v : after) {
    if (!find_by(before, [&](const volume_spec& o) { return o.path == v.path; })) unmatched_after.push_back(&v);
  }
  for (const auto& old_v : before) {
    const std::string field = volume_path(owner, old_v);
    const volume_spec* new_v = find_by(after, [&](const volume_spec& v) { return v.path == old_v.path; });
    if (!new_v) {
      // The same volume under the same key with another path: a path change, not a removal.
      const auto renamed = std::find_if(unmatched_after.begin(), unmatched_after.end(),
                                        [&](const volume_spec* v) { return v->name == old_v.name; });
      if (renamed == unmatched_after.end()) {
        errors.push_back({std::string(k_name), field, "cannot be removed (path " + quoted(old_v.path) + ")"});
        continue;
      }
      new_v = *renamed;
      unmatched_after.erase(renamed);
      errors.push_back({std::string(k_name), field + ".path",
                        "cannot change from " + quoted(old_v.path) + " to " + quoted(new_v->path)});
    }
    if (new_v->type != old_v.type) {
      errors.push_back({std::string(k_name), volume_path(owner, *new_v) + ".type",
                        "cannot change from " + std::string(to_string(old_v.type)) + " to " +
                            std::string(to_string(new_v->type))});
    }
    if (new_v->size_mb != old_v.size_mb) {
      errors.push_back({std::string(k_name), volume_path(owner, *new_v) + ".size",
                        "cannot change from " + std::to_string(old_v.size_mb) + " to " + std::to_string(new_v->size_mb)});
    }
  }
  for (const volume_spec* v : unmatched_after) {
    errors.push_back({std::string(k_name), volume_path(owner, *v), "cannot be added (path " + quoted(v->path) + ")"});
  }
}

// The parts of a pod spec that decide whether its running instances must restart.
pod_spec effective_pod(const service_spec& spec, const pod_spec& pod) {
  pod_spec p = pod;
  p.count = 0;
  p.placement.clear();
  p.allow_decommission = false;
  p.pre_reserved_role.clear();
  p.user = spec.user_of(pod);
  return p;
}

}  // namespace

std::vector<config_error> pod_count_cannot_shrink(const service_spec& old_spec, const service_spec& new_spec) {
  std::vector<config_error> errors;
  for (const auto& new_pod : new_spec.pods) {
    const pod_spec* old_pod = old_spec.find_pod(new_pod.type);
    if (!old_pod || new_pod.count >= old_pod->count || new_pod.allow_decommission) continue;
    errors.push_back({"pod_count_cannot_shrink", pod_path(new_pod) + ".count",
                      "cannot shrink from " + std::to_string(old_pod->count) + " to " + std::to_string(new_pod.count) +
                          " (set allow-decommission: true to remove pod instances)"});
  }
  return errors;
}

std::vector<config_error> volume_cannot_change(const service_spec& old_spec, const service_spec& new_spec) {
  std::vector<config_error> errors;
  static const std::vector<volume_spec> k_none;
  for (const auto& new_pod : new_spec.pods) {
    const pod_spec* old_pod = old_spec.find_pod(new_pod.type);
    if (!old_pod) continue;  // a new pod type reserves fresh volumes
    const auto before = volume_owners(*old_pod);
    const auto after = volume_owners(new_pod);
    for (const auto& [owner, volumes] : before) {
      const auto match = std::find_if(after.begin(), after.end(), [&](const auto& a) { return a.first == owner; });
      compare_volumes(owner, *volumes, match == after.end() ? k_none : *match->second, errors);
    }
    for (const auto& [owner, volumes] : after) {
      const bool known = std::any_of(before.begin(), before.end(), [&](const auto& b) { return b.first == owner; });
      if (!known) compare_volumes(owner, k_none, *volumes, errors);
    }
  }
  return errors;
}

std::vector<config_error> pod_type_cannot_be_removed(const service_spec& old_spec, const service_spec& new_spec) {
  std::vector<config_error> errors;
  for (const auto& old_pod : old_spec.pods) {
    if (new_spec.find_pod(old_pod.type) || old_pod.allow_decommission) continue;
    errors.push_back({"pod_type_cannot_be_removed", pod_path(old_pod),
                      "cannot be removed (its " + std::to_string(old_pod.count) +
                          " instances would be lost; set allow-decommission: true first)"});
  }
  return errors;
}

std::vector<config_error> service_name_cannot_change(const service_spec& old_spec, const service_spec& new_spec) {
  if (old_spec.name == new_spec.name) return {};
  return {{"service_name_cannot_change", "name",
           "cannot change from " + quoted(old_spec.name) + " to " + quoted(new_spec.name)}};
}

std::vector<config_error> user_cannot_change(const service_spec& old_spec, const service_spec& new_spec) {
  std::vector<config_error> errors;
  if (old_spec.user != new_spec.user) {
    errors.push_back({"user_cannot_change", "scheduler.user",
                      "cannot change from " + quoted(old_spec.user) + " to " + quoted(new_spec.user)});
  }
  for (const auto& new_pod : new_spec.pods) {
    const pod_spec* old_pod = old_spec.find_pod(new_pod.type);
    if (!old_pod || (old_pod->user.empty() && new_pod.user.empty())) continue;  // both follow scheduler.user
    const std::string& before = old_spec.user_of(*old_pod);
    const std::string& after = new_spec.user_of(new_pod);
    if (before != after) {
      errors.push_back({"user_cannot_change", pod_path(new_pod) + ".user",
                        "cannot change from " + quoted(before) + " to " + quoted(after)});
    }
  }
  return errors;
}

const std::vector<named_validator>& default_config_validators() {
  static const std::vector<named_validator> k_validators = {
      {"service_name_cannot_change", &service_name_cannot_change},
      {"user_cannot_change", &user_cannot_change},
      {"pod_type_cannot_be_removed", &pod_type_cannot_be_removed},
      {"pod_count_cannot_shrink", &pod_count_cannot_shrink},
      {"volume_cannot_change", &volume_cannot_change},
  };
  return k_validators;
}

std::vector<config_error> validate_config_update(const service_spec& old_spec, const service_spec& new_spec) {
  std::vector<config_error> errors;
  for (const auto& v : default_config_validators()) {
    auto found = v.check(old_spec, new_spec);
    errors.insert(errors.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return errors;
}

std::vector<model::pod_instance> pods_to_roll(const service_spec& old_spec, const service_spec& new_spec) {
  std::vector<model::pod_instance> out;
  for (const auto& new_pod : new_spec.pods) {
    const pod_spec* old_pod = old_spec.find_pod(new_pod.type);
    const bool changed = !old_pod || effective_pod(old_spec, *old_pod) != effective_pod(new_spec, new_pod);
    const std::uint32_t first = changed ? 0 : old_pod->count;
    for (std::uint32_t i = first; i < new_pod.count; ++i) out.push_back({new_pod.type, i});
  }
  return out;
}

std::vector<model::pod_instance> pods_to_decommission(const service_spec& old_spec, const service_spec& new_spec) {
  std::vector<model::pod_instance> out;
  for (const auto& old_pod : old_spec.pods) {
    const pod_spec* new_pod = new_spec.find_pod(old_pod.type);
    const std::uint32_t keep = new_pod ? std::min(new_pod->count, old_pod.count) : 0;
    for (std::uint32_t i = old_pod.count; i > keep; --i) out.push_back({old_pod.type, i - 1});
  }
  return out;
}

}  // namespace ternmq::scheduler::spec
