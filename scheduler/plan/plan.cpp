#include "scheduler/plan/plan.hpp"

#include <stdexcept>
#include <utility>

namespace ternmq::scheduler::plans {
namespace {

// A phase may be offered while interrupted (it then offers no steps and shows WAITING, which the
// plan's roll-up needs to see); only COMPLETE and ERROR phases are left out (SDK `isEligible`).
template <class Phase>
std::vector<Phase*> phases_offered(std::span<Phase> phases, plans::strategy s, bool interrupted) {
  if (interrupted) return {};
  return select_candidates(s, phases, [](const phase& p) { return p.status() != status::error; });
}

}  // namespace

plan::plan(std::string name, plans::strategy strategy, std::vector<phase> phases, std::vector<std::string> errors)
    : name_(std::move(name)), strategy_(strategy), phases_(std::move(phases)), errors_(std::move(errors)) {
  if (name_.empty()) throw std::invalid_argument("a plan needs a name");
  if (is_canary(strategy_)) {
    throw std::invalid_argument("plan '" + name_ + "': canary strategies apply to phases only");
  }
  for (std::size_t i = 0; i < phases_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (phases_[i].name() == phases_[j].name()) {
        throw std::invalid_argument("plan '" + name_ + "' has two phases named '" + phases_[i].name() + "'");
      }
    }
  }
  for (phase& p : phases_) p.set_path(name_);
}

plan plan::with_name(std::string name) const {
  if (name.empty()) throw std::invalid_argument("a plan needs a name");
  plan out = *this;
  out.name_ = std::move(name);
  for (phase& p : out.phases_) p.set_path(out.name_);
  return out;
}

std::vector<std::string> plan::errors() const {
  std::vector<std::string> out = errors_;
  for (const phase& p : phases_) {
    const std::vector<std::string> below = p.errors();
    out.insert(out.end(), below.begin(), below.end());
  }
  return out;
}

std::vector<phase*> plan::phase_candidates() {
  return phases_offered(std::span<phase>(phases_), strategy_, interrupted_);
}

std::vector<const phase*> plan::phase_candidates() const {
  return phases_offered(std::span<const phase>(phases_), strategy_, interrupted_);
}

plans::status plan::status() const {
  std::vector<plans::status> children;
  children.reserve(phases_.size());
  for (const phase& p : phases_) children.push_back(p.status());
  std::vector<plans::status> candidates;
  for (const phase* p : phase_candidates()) candidates.push_back(p->status());
  return aggregate_status(children, candidates, !errors().empty(), interrupted_);
}

void plan::restart() {
  for (phase& p : phases_) p.restart();
}

void plan::force_complete() {
  for (phase& p : phases_) p.force_complete();
}

std::vector<step*> plan::candidates(const asset_set& busy) {
  std::vector<step*> out;
  for (phase* p : phase_candidates()) {
    for (step* s : p->strategy_candidates(busy)) {
      if (s->is_launchable()) out.push_back(s);
    }
  }
  return out;
}

asset_set plan::held_assets() const {
  asset_set out;
  for (const phase& p : phases_) {
    for (const step& s : p.steps()) {
      if (s.holds_asset() && !s.pod_instance().empty()) out.insert(s.pod_instance());
    }
  }
  return out;
}

step* plan::working_step(std::string_view pod_instance) {
  for (phase& p : phases_) {
    for (step& s : p.steps()) {
      if (s.pod_instance() == pod_instance && s.is_working()) return &s;
    }
  }
  return nullptr;
}

phase* plan::find_phase(std::string_view key) {
  for (phase& p : phases_) {
    if (p.id() == key || p.name() == key) return &p;
  }
  return nullptr;
}

const phase* plan::find_phase(std::string_view key) const {
  for (const phase& p : phases_) {
    if (p.id() == key || p.name() == key) return &p;
  }
  return nullptr;
}

}  // namespace ternmq::scheduler::plans
