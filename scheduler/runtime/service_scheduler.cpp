#include "scheduler/runtime/service_scheduler.hpp"

#include <algorithm>
#include <utility>

#include "core/base/log.hpp"
#include "scheduler/model/names.hpp"

namespace ternmq::scheduler::runtime {
namespace {

constexpr std::string_view k_deployment_completed = "last-completed-update-type";

std::string pod_of(const state::task_record& r) { return model::pod_instance_name(r.pod_type, r.pod_index); }

}  // namespace

service_scheduler::service_scheduler(state::state_store& store, backend::task_backend& backend, scheduler_settings settings)
    : store_(store), backend_(backend), settings_(std::move(settings)), backoff_(settings_.backoff) {}

bool service_scheduler::pod_is_current(const std::string& pod_instance) const {
  bool any = false;
  for (const auto& r : store_.tasks()) {
    if (pod_of(r) != pod_instance) continue;
    any = true;
    if (r.config_id != target_id_ || r.state != state::task_state::running || !r.ready || r.permanently_failed) return false;
  }
  return any;
}

void service_scheduler::rebuild_deploy_plan(const std::vector<spec::config_error>& errors) {
  const bool completed = store_.property(k_deployment_completed).has_value();
  plans::plan deploy = build_deploy_plan(target_spec_, [this](const std::string& pod) { return pod_is_current(pod); }, completed);
  for (const auto& e : errors) deploy.add_error(e.message());
  plans_.replace(std::move(deploy));
  if (plans_.find(plans::k_recovery_plan) == nullptr) rebuild_recovery_plan();
  shown_.clear();
}

void service_scheduler::rebuild_recovery_plan() {
  // Finished recoveries drop out; the ones under way are rebuilt PENDING and adopt their running
  // task again in `work_on`, so a rebuild loses no progress.
  if (const plans::plan* old = plans_.find(plans::k_recovery_plan)) {
    std::erase_if(recovering_, [&](const recovery_request& r) {
      const plans::phase* phase = old->find_phase(r.pod_instance);
      return phase != nullptr && phase->is_complete();
    });
  }
  plans_.replace(build_recovery_plan(recovering_));
}

void service_scheduler::reconcile() {
  std::map<std::string, backend::task_status> known;
  for (auto& s : backend_.reconcile()) known[s.task_id] = s;
  // A task the backend runs but no record names (the scheduler died between launching it and
  // recording it, or an earlier launch of a relaunched pod) is an orphan: end it, as the SDK does.
  std::set<std::string> current;
  for (const auto& record : store_.tasks()) current.insert(record.task_id);
  for (const auto& [id, s] : known) {
    if (current.contains(id) || state::is_terminal(s.state)) continue;
    TERNMQ_LOG(warning) << "reconcile: killing " << id << ", which no task record names";
    killing_.insert(id);
    backend_.kill(id);
  }
  for (auto record : store_.tasks()) {
    auto it = known.find(record.task_id);
    if (it != known.end()) {
      handle_status(it->second);
    } else if (!state::is_terminal(record.state)) {
      handle_status({record.task_id, record.task_name, state::task_state::lost,
                     "the backend does not know the task any more", std::nullopt, std::nullopt, record.agent_id, record.ip});
    }
  }
}

void service_scheduler::handle_status(const backend::task_status& s) {
  auto record = store_.task(s.task_name);
  if (!record || record->task_id != s.task_id) {
    TERNMQ_LOG(debug) << "status " << state::to_string(s.state) << " for " << s.task_id << " of an earlier launch";
    killing_.erase(s.task_id);
    return;
  }
  const bool was_terminal = state::is_terminal(record->state);
  record->state = s.state;
  if (!s.message.empty()) record->message = s.message;
  if (s.ready) record->ready = *s.ready;
  if (s.healthy) record->healthy = s.healthy;
  if (!s.ip.empty()) record->ip = s.ip;
  if (state::is_terminal(s.state)) record->ready = false;
  if (auto st = store_.store_task(*record); !st) TERNMQ_LOG(error) << "state store: " << st.message();

  const std::string pod = pod_of(*record);
  plans::step* step = plans_.working_step(pod);
  if (state::is_terminal(s.state)) {
    if (was_terminal) return;
    const bool replaced = killing_.erase(s.task_id) > 0;
    if (!replaced) {
      TERNMQ_LOG(warning) << s.task_name << ": " << state::to_string(s.state) << ": " << s.message;
      backoff_.on_failure(pod, launch_backoff::clock::now());
    }
    // A step that killed the task to replace it waits PREPARED for exactly this; any other working
    // step (one whose launch an operator's restart or replace cut short) starts over.
    if (step != nullptr && (!replaced || step->progress() != plans::status::prepared)) {
      step->on_failed(std::string(state::to_string(s.state)) + ": " + s.message);
    }
    return;
  }
  if (s.state == state::task_state::running && step != nullptr) {
    step->on_running();
    if (record->ready && record->config_id == target_id_) {
      backoff_.reset(pod);
      step->on_ready();
    }
  }
}

void service_scheduler::schedule_recovery() {
  // A RUNNING-goal task that ended while no plan works on its pod: relaunch it in place (or from
  // scratch when replaced). Pods the deploy plan has not completed are left to deploy.
  std::map<std::string, recovery_request> wanted;
  for (const auto& r : store_.tasks()) {
    if (!state::is_terminal(r.state) && !restarting_.contains(pod_of(r)) && !r.permanently_failed) continue;
    const model::pod_spec* pod = target_spec_.find_pod(r.pod_type);
    if (pod == nullptr || r.pod_index >= pod->count) continue;
    const model::task_spec* task = pod->find_task(r.task);
    if (task == nullptr || task->goal != model::task_goal::running) continue;
    const std::string name = pod_of(r);
    if (plans_.working_step(name) != nullptr) continue;
    bool deploy_owns = false;
    if (const plans::plan* deploy = plans_.find(plans::k_deploy_plan)) {
      for (const auto& phase : deploy->phases()) {
        for (const auto& st : phase.steps()) {
          if (st.pod_instance() == name && !st.is_complete()) deploy_owns = true;
        }
      }
    }
    if (deploy_owns) continue;
    auto& request = wanted[name];
    request.pod_instance = name;
    request.permanent = request.permanent || r.permanently_failed;
    request.tasks.push_back(r.task);
  }
  bool changed = false;
  for (auto& [name, request] : wanted) {
    auto existing = std::find_if(recovering_.begin(), recovering_.end(),
                                 [&](const recovery_request& r) { return r.pod_instance == name; });
    bool active = false;
    if (existing != recovering_.end()) {
      const plans::plan* recovery = plans_.find(plans::k_recovery_plan);
      const plans::phase* phase = recovery ? recovery->find_phase(name) : nullptr;
      active = phase != nullptr && !phase->is_complete();
      if (!active) recovering_.erase(existing);
    }
    if (active) continue;
    TERNMQ_LOG(info) << "recovery: relaunching " << name << (request.permanent ? " from scratch" : " in place");
    recovering_.push_back(std::move(request));
    changed = true;
  }
  if (changed) rebuild_recovery_plan();
}

void service_scheduler::stop_all_tasks() {
  stopping_ = true;
  for (const auto& r : store_.tasks()) {
    if (state::is_terminal(r.state)) continue;
    killing_.insert(r.task_id);
    backend_.kill(r.task_id);
  }
}

bool service_scheduler::all_tasks_ended() const {
  for (const auto& r : store_.tasks()) {
    if (!state::is_terminal(r.state)) return false;
  }
  return true;
}

void service_scheduler::tick() {
  for (const auto& s : backend_.poll()) handle_status(s);
  if (stopping_) return;
  schedule_recovery();
  // A DELAYED step is no candidate, so its backoff ends here rather than in `work_on`.
  const auto now = launch_backoff::clock::now();
  for (const std::string& name : plans_.names()) {
    for (auto& phase : plans_.find(name)->phases()) {
      for (auto& st : phase.steps()) {
        if (st.delayed() && !backoff_.delayed(st.pod_instance(), now)) st.on_delay_expired();
      }
    }
  }
  for (const plans::candidate& c : plans_.candidates()) work_on(*c.work);
  if (const plans::plan* deploy = plans_.find(plans::k_deploy_plan);
      deploy != nullptr && deploy->is_complete() && !store_.property(k_deployment_completed)) {
    (void)store_.set_property(k_deployment_completed, "DEPLOY");
  }
  report_progress();
}

void service_scheduler::report_progress() {
  auto show = [&](const std::string& key, const std::string& line, plans::status status) {
    std::string text(plans::to_string(status));
    auto& last = shown_[key];
    if (last == text) return;
    last = text;
    if (progress_) progress_(line + " " + text);
  };
  for (const std::string& name : plans_.names()) {
    const plans::plan* p = plans_.find(name);
    if (p == nullptr || p->phases().empty()) continue;
    for (const auto& phase : p->phases()) {
      for (const auto& st : phase.steps()) show(name + "/" + st.id(), name + ": " + st.name(), st.status());
    }
    show(name, name + ":", p->status());
  }
}

core::result<api::pod_command_result> service_scheduler::restart_pod(std::string_view pod_instance) {
  api::pod_command_result result{std::string(pod_instance), {}};
  for (const auto& r : store_.tasks()) {
    if (pod_of(r) != pod_instance) continue;
    result.tasks.push_back(r.task_name);
  }
  if (result.tasks.empty()) return core::error{static_cast<int>(api::pod_command_errc::unknown_pod), "Pod " + std::string(pod_instance) + " not found"};
  restarting_.insert(std::string(pod_instance));
  backoff_.reset(std::string(pod_instance));
  for (const auto& r : store_.tasks()) {
    if (pod_of(r) == pod_instance && !state::is_terminal(r.state)) {
      killing_.insert(r.task_id);
      backend_.kill(r.task_id);
    }
  }
  return result;
}

core::result<api::pod_command_result> service_scheduler::replace_pod(std::string_view pod_instance) {
  api::pod_command_result result{std::string(pod_instance), {}};
  for (auto r : store_.tasks()) {
    if (pod_of(r) != pod_instance) continue;
    result.tasks.push_back(r.task_name);
    r.permanently_failed = true;
    if (auto st = store_.store_task(r); !st) return core::error{static_cast<int>(api::pod_command_errc::refused), st.message()};
  }
  if (result.tasks.empty()) return core::error{static_cast<int>(api::pod_command_errc::unknown_pod), "Pod " + std::string(pod_instance) + " not found"};
  (void)restart_pod(pod_instance);
  return result;
}

}  // namespace ternmq::scheduler::runtime
