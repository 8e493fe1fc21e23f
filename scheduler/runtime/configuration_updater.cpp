// service_scheduler: accepting or refusing a newly rendered configuration (SDK
// DefaultConfigurationUpdater).
#include <algorithm>
#include <set>

#include "core/base/log.hpp"
#include "scheduler/model/names.hpp"
#include "scheduler/runtime/ids.hpp"
#include "scheduler/runtime/service_scheduler.hpp"

namespace ternmq::scheduler::runtime {
namespace {

// Configurations kept besides the ones tasks still run: the history `/v1/configurations` shows.
constexpr std::size_t k_kept_history = 10;

}  // namespace

core::result<configuration_outcome> service_scheduler::apply_configuration(const state::stored_configuration& config,
                                                                            model::service_spec spec) {
  configuration_outcome outcome;
  auto old_id = store_.target_configuration_id();
  std::optional<model::service_spec> old_spec;
  if (old_id) {
    if (auto stored = store_.configuration(*old_id)) {
      auto parsed = state::to_service_spec(*stored);
      if (parsed) old_spec = std::move(parsed).value();
      else TERNMQ_LOG(error) << "stored target configuration " << *old_id << " no longer parses: " << parsed.err().message;
    }
  }

  if (!old_spec) {
    outcome.what = configuration_outcome::kind::first;
    target_id_ = new_uuid();
  } else if (*old_spec == spec) {
    outcome.what = configuration_outcome::kind::unchanged;
    target_id_ = *old_id;
  } else {
    auto errors = spec::validate_config_update(*old_spec, spec);
    if (!errors.empty()) {
      for (const auto& e : errors) TERNMQ_LOG(warning) << "configuration update refused: " << e.message();
      outcome.what = configuration_outcome::kind::refused;
      outcome.errors = errors;
      target_id_ = *old_id;
      target_spec_ = std::move(*old_spec);
      refused_ = errors;
      rebuild_deploy_plan(refused_);
      outcome.target_id = target_id_;
      return outcome;
    }
    outcome.what = configuration_outcome::kind::accepted;
    for (const auto& pod : spec::pods_to_roll(*old_spec, spec)) outcome.pods_to_roll.push_back(pod.name());
    target_id_ = new_uuid();
  }

  if (outcome.what != configuration_outcome::kind::unchanged) {
    if (auto st = store_.store_configuration(target_id_, config); !st) return core::error{1, st.message()};
    if (auto st = store_.set_target_configuration_id(target_id_); !st) return core::error{1, st.message()};
    if (old_spec) {
      if (auto st = relabel_unchanged_pods(*old_spec, spec, target_id_); !st) return core::error{1, st.message()};
    }
    prune_configurations();
    TERNMQ_LOG(info) << "target configuration " << target_id_
                     << (outcome.what == configuration_outcome::kind::first ? " (first)" : " (update)");
  }
  target_spec_ = std::move(spec);
  refused_.clear();
  rebuild_deploy_plan();
  outcome.target_id = target_id_;
  return outcome;
}

core::status service_scheduler::relabel_unchanged_pods(const model::service_spec& old_spec,
                                                       const model::service_spec& new_spec, const std::string& new_id) {
  std::set<std::string> rolling;
  for (const auto& pod : spec::pods_to_roll(old_spec, new_spec)) rolling.insert(pod.name());
  for (auto record : store_.tasks()) {
    const std::string pod = model::pod_instance_name(record.pod_type, record.pod_index);
    if (rolling.contains(pod)) continue;
    record.config_id = new_id;
    if (auto st = store_.store_task(record); !st) return st;
  }
  return core::status::success();
}

void service_scheduler::prune_configurations() {
  std::set<std::string> in_use{target_id_};
  for (const auto& r : store_.tasks()) in_use.insert(r.config_id);
  auto ids = store_.configuration_ids();
  // Ids are random, so age comes from nothing but the store; keep the count bounded instead.
  std::size_t removable = ids.size() > in_use.size() + k_kept_history ? ids.size() - in_use.size() - k_kept_history : 0;
  for (const auto& id : ids) {
    if (removable == 0) break;
    if (in_use.contains(id)) continue;
    (void)store_.erase_configuration(id);
    --removable;
  }
}

}  // namespace ternmq::scheduler::runtime
