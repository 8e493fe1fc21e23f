#include "scheduler/plan/plan_manager.hpp"

#include <stdexcept>
#include <utility>

namespace ternmq::scheduler::plans {
namespace {

int priority_of(std::string_view name) {
  if (name == k_deploy_plan) return 0;
  if (name == k_recovery_plan) return 1;
  if (name == k_decommission_plan) return 2;
  return 3;
}

}  // namespace

plan& plan_manager::add(plan p, bool interrupted) {
  if (find(p.name()) != nullptr) throw std::invalid_argument("plan '" + p.name() + "' is already held");
  if (interrupted) p.interrupt();
  const int rank = priority_of(p.name());
  auto at = plans_.begin();
  while (at != plans_.end() && priority_of((*at)->name()) <= rank) ++at;
  return **plans_.insert(at, std::make_unique<plan>(std::move(p)));
}

plan& plan_manager::replace(plan p) {
  for (auto& held : plans_) {
    if (held->name() == p.name()) {
      *held = std::move(p);
      return *held;
    }
  }
  return add(std::move(p));
}

plan* plan_manager::find(std::string_view name) {
  for (auto& p : plans_) {
    if (p->name() == name) return p.get();
  }
  return nullptr;
}

const plan* plan_manager::find(std::string_view name) const {
  for (const auto& p : plans_) {
    if (p->name() == name) return p.get();
  }
  return nullptr;
}

std::vector<std::string> plan_manager::names() const {
  std::vector<std::string> out;
  out.reserve(plans_.size());
  for (const auto& p : plans_) out.push_back(p->name());
  return out;
}

bool plan_manager::has_operations() const {
  for (const auto& p : plans_) {
    if (!p->is_complete()) return true;
  }
  return false;
}

asset_set plan_manager::held_assets() const {
  asset_set out;
  for (const auto& p : plans_) out.merge(p->held_assets());
  return out;
}

std::vector<candidate> plan_manager::candidates() {
  const asset_set held = held_assets();
  asset_set claimed;  // pods given to a candidate in this call
  std::vector<candidate> out;
  for (auto& p : plans_) {
    // Busy for this plan: pods other plans hold, and pods already given out in this call.
    asset_set busy = claimed;
    const asset_set own = p->held_assets();
    for (const std::string& pod : held) {
      if (!own.contains(pod)) busy.insert(pod);
    }
    for (step* s : p->candidates(busy)) {
      if (!s->pod_instance().empty() && !claimed.insert(s->pod_instance()).second) continue;
      out.push_back(candidate{p.get(), s});
    }
  }
  return out;
}

step* plan_manager::working_step(std::string_view pod_instance) {
  for (auto& p : plans_) {
    if (step* s = p->working_step(pod_instance)) return s;
  }
  return nullptr;
}

plan select_deploy_plan(plan deploy, std::optional<plan> update, bool deployment_completed) {
  if (deployment_completed && update.has_value()) return update->with_name(std::string(k_deploy_plan));
  return deploy;
}

}  // namespace ternmq::scheduler::plans
