#include "scheduler/plan/phase.hpp"

#include <stdexcept>
#include <utility>

#include "scheduler/plan/element_id.hpp"

namespace ternmq::scheduler::plans {
namespace {

// One `proceed()` releases the first canary step, a second one the rest (SDK default).
constexpr std::size_t k_canary_proceeds = 2;

}  // namespace

phase::phase(std::string name, plans::strategy strategy, std::vector<step> steps, std::vector<std::string> errors)
    : name_(std::move(name)), strategy_(strategy), steps_(std::move(steps)), errors_(std::move(errors)) {
  if (name_.empty()) throw std::invalid_argument("a phase needs a name");
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (steps_[i].name() == steps_[j].name()) {
        throw std::invalid_argument("phase '" + name_ + "' has two steps named '" + steps_[i].name() + "'");
      }
    }
  }
  id_ = element_id(name_);
  for (step& s : steps_) s.set_path(name_);
  if (is_canary(strategy_)) {
    for (std::size_t i = 0; i < steps_.size() && canary_steps_.size() < k_canary_proceeds; ++i) {
      if (steps_[i].status() != plans::status::pending) continue;
      steps_[i].interrupt();
      canary_steps_.push_back(i);
    }
  }
}

void phase::set_path(const std::string& plan_name) {
  const std::string path = plan_name + "/" + name_;
  id_ = element_id(path);
  for (step& s : steps_) s.set_path(path);
}

step* phase::held_canary() {
  for (std::size_t i : canary_steps_) {
    if (steps_[i].interrupted()) return &steps_[i];
  }
  return nullptr;
}

const step* phase::held_canary() const {
  for (std::size_t i : canary_steps_) {
    if (steps_[i].interrupted()) return &steps_[i];
  }
  return nullptr;
}

bool phase::interrupted() const {
  if (held_canary() != nullptr) {
    for (std::size_t i : canary_steps_) {
      const step& s = steps_[i];
      if (!s.interrupted() && !s.is_complete()) return false;  // a released canary is under way
    }
    return true;
  }
  return interrupted_;
}

void phase::interrupt() {
  if (held_canary() != nullptr) return;
  interrupted_ = true;
}

void phase::proceed() {
  if (step* s = held_canary()) {
    s->proceed();
    return;
  }
  interrupted_ = false;
}

template <class Step>
std::vector<Step*> phase::candidates_of(std::span<Step> steps, const phase& self, const asset_set& busy) {
  auto eligible = [&busy](const step& s) {
    return s.status() != status::error && !s.interrupted() && !busy.contains(s.pod_instance());
  };
  if (self.held_canary() != nullptr) {
    std::vector<Step*> out;
    for (std::size_t i : self.canary_steps_) {
      if (!steps[i].is_complete() && eligible(steps[i])) out.push_back(&steps[i]);
    }
    return out;
  }
  if (self.interrupted_) return {};
  return select_candidates(without_canary(self.strategy_), steps, eligible);
}

std::vector<step*> phase::strategy_candidates(const asset_set& busy) {
  return candidates_of(std::span<step>(steps_), *this, busy);
}

std::vector<const step*> phase::strategy_candidates(const asset_set& busy) const {
  return candidates_of(std::span<const step>(steps_), *this, busy);
}

std::vector<std::string> phase::errors() const {
  std::vector<std::string> out = errors_;
  for (const step& s : steps_) out.insert(out.end(), s.errors().begin(), s.errors().end());
  return out;
}

plans::status phase::status() const {
  std::vector<plans::status> children;
  children.reserve(steps_.size());
  for (const step& s : steps_) children.push_back(s.status());
  std::vector<plans::status> candidates;
  for (const step* s : strategy_candidates()) candidates.push_back(s->status());
  return aggregate_status(children, candidates, !errors().empty(), interrupted());
}

void phase::restart() {
  for (step& s : steps_) static_cast<void>(s.restart());
}

void phase::force_complete() {
  for (step& s : steps_) static_cast<void>(s.force_complete());
}

step* phase::find_step(std::string_view key) {
  for (step& s : steps_) {
    if (s.id() == key || s.name() == key) return &s;
  }
  return nullptr;
}

const step* phase::find_step(std::string_view key) const {
  for (const step& s : steps_) {
    if (s.id() == key || s.name() == key) return &s;
  }
  return nullptr;
}

}  // namespace ternmq::scheduler::plans
