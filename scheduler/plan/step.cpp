#include "scheduler/plan/step.hpp"

#include <stdexcept>
#include <utility>

#include "scheduler/plan/element_id.hpp"

namespace ternmq::scheduler::plans {

step::step(std::string name, std::string pod_instance, plans::status initial, std::vector<std::string> errors)
    : id_(element_id(name)),
      name_(std::move(name)),
      pod_instance_(std::move(pod_instance)),
      progress_(initial),
      errors_(std::move(errors)) {
  if (name_.empty()) throw std::invalid_argument("a step needs a name");
  if (initial != plans::status::pending && initial != plans::status::complete) {
    throw std::invalid_argument("step '" + name_ + "' may start PENDING or COMPLETE, not " +
                                std::string(to_string(initial)));
  }
}

void step::set_path(const std::string& parent_path) { id_ = element_id(parent_path + "/" + name_); }

plans::status step::status() const {
  if (!errors_.empty()) return plans::status::error;
  const bool idle = progress_ == plans::status::pending || progress_ == plans::status::prepared;
  if (interrupted_ && idle) return plans::status::waiting;
  if (delayed_ && progress_ == plans::status::pending) return plans::status::delayed;
  return progress_;
}

std::string step::message() const {
  std::string out = "'" + name_ + "' has status: '" + std::string(to_string(status())) + "'.";
  if (!last_failure_.empty()) out += " Last failure: " + last_failure_ + ".";
  return out;
}

bool step::holds_asset() const {
  const plans::status s = status();
  return s == plans::status::prepared || s == plans::status::starting || s == plans::status::started;
}

bool step::is_working() const {
  return errors_.empty() && (progress_ == plans::status::prepared || progress_ == plans::status::starting ||
                             progress_ == plans::status::started);
}

bool step::is_launchable() const {
  const plans::status s = status();
  return s == plans::status::pending || s == plans::status::prepared;
}

bool step::start() {
  if (!is_launchable()) return false;
  progress_ = plans::status::prepared;
  return true;
}

bool step::on_launched() {
  if (!errors_.empty() || progress_ != plans::status::prepared) return false;
  progress_ = plans::status::starting;
  return true;
}

bool step::on_running() {
  if (!errors_.empty() || (progress_ != plans::status::starting && progress_ != plans::status::started)) return false;
  progress_ = plans::status::started;
  return true;
}

bool step::on_ready() {
  if (!errors_.empty() || (progress_ != plans::status::starting && progress_ != plans::status::started)) return false;
  progress_ = plans::status::complete;
  last_failure_.clear();
  return true;
}

bool step::on_failed(std::string reason) {
  // A COMPLETE step ignores later failures: keeping the pod running is the recovery plan's job.
  if (!errors_.empty() || progress_ == plans::status::complete) return false;
  progress_ = plans::status::pending;
  last_failure_ = std::move(reason);
  return true;
}

bool step::on_delayed() {
  if (!errors_.empty() || progress_ != plans::status::pending) return false;
  delayed_ = true;
  return true;
}

bool step::on_delay_expired() {
  if (!delayed_) return false;
  delayed_ = false;
  return true;
}

void step::add_error(std::string message) { errors_.push_back(std::move(message)); }

bool step::restart() {
  if (!errors_.empty()) return false;
  progress_ = plans::status::pending;
  delayed_ = false;
  last_failure_.clear();
  return true;
}

bool step::force_complete() {
  if (!errors_.empty()) return false;
  progress_ = plans::status::complete;
  delayed_ = false;
  return true;
}

}  // namespace ternmq::scheduler::plans
