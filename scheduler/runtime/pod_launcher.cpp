// service_scheduler: the work on one candidate step (adopt, replace, launch).
#include "core/base/log.hpp"
#include "scheduler/model/names.hpp"
#include "scheduler/runtime/ids.hpp"
#include "scheduler/runtime/launch_builder.hpp"
#include "scheduler/runtime/offer_choice.hpp"
#include "scheduler/runtime/service_scheduler.hpp"

namespace ternmq::scheduler::runtime {

void service_scheduler::work_on(plans::step& step) {
  const std::string pod_name = step.pod_instance();
  auto dash = pod_name.rfind('-');
  const model::pod_spec* pod = target_spec_.find_pod(pod_name.substr(0, dash));
  if (pod == nullptr) return;
  const auto index = static_cast<std::uint32_t>(std::stoul(pod_name.substr(dash + 1)));
  std::vector<const model::task_spec*> tasks;
  for (const auto& name : tasks_of_step(step.name())) {
    if (const model::task_spec* t = pod->find_task(name)) tasks.push_back(t);
  }
  if (tasks.empty()) return;

  const auto now = launch_backoff::clock::now();
  if (backoff_.delayed(pod_name, now)) {
    step.on_delayed();
    return;
  }
  step.on_delay_expired();
  if (!step.start()) return;

  // Tasks of this pod still alive: adopt them when they already run the target, else end them.
  bool waiting = false;
  bool all_current = true;
  for (const model::task_spec* task : tasks) {
    auto record = store_.task(model::task_name(pod->type, index, task->name));
    if (!record || state::is_terminal(record->state)) {
      all_current = false;
      continue;
    }
    const bool stale = record->config_id != target_id_ || record->permanently_failed || restarting_.contains(pod_name);
    if (!stale) continue;
    all_current = false;
    waiting = true;
    if (!killing_.contains(record->task_id)) {
      TERNMQ_LOG(info) << record->task_name << ": stopping " << record->task_id << " to relaunch it"
                       << (record->config_id != target_id_ ? " with configuration " + target_id_ : "");
      killing_.insert(record->task_id);
      backend_.kill(record->task_id);
    }
  }
  if (waiting) return;
  if (all_current) {
    step.on_launched();
    bool ready = true;
    bool running = true;
    for (const model::task_spec* task : tasks) {
      auto record = store_.task(model::task_name(pod->type, index, task->name));
      running = running && record->state == state::task_state::running;
      ready = ready && record->ready;
    }
    if (running) step.on_running();
    if (running && ready) step.on_ready();
    return;
  }
  if (launch(step, *pod, index, tasks)) step.on_launched();
}

bool service_scheduler::launch(plans::step& step, const model::pod_spec& pod, std::uint32_t index,
                               const std::vector<const model::task_spec*>& tasks) {
  const std::string pod_name = step.pod_instance();
  offer_choice_request request{&pod, index, tasks, std::nullopt, {}, {}};
  std::string volume_id;
  std::optional<state::task_record> previous;
  for (const model::task_spec* task : tasks) {
    if (auto r = store_.task(model::task_name(pod.type, index, task->name))) previous = r;
  }
  const bool in_place = previous && !previous->permanently_failed && !previous->agent_id.empty();
  if (in_place) {
    request.required_agent = previous->agent_id;
    request.reserved_ports = previous->ports;
    volume_id = previous->volume_id;
  } else {
    volume_id = new_uuid();
  }
  for (const auto& r : store_.tasks()) {
    if (r.pod_type == pod.type && r.pod_index != index && !r.permanently_failed) request.others.push_back(r);
  }
  auto choice = choose_offer(request, backend_.offers());
  if (!choice) {
    auto& last = last_decline_[pod_name];
    if (last != choice.err().message) {
      last = choice.err().message;
      TERNMQ_LOG(warning) << pod_name << ": no offer fits: " << last;
    }
    return false;
  }
  last_decline_.erase(pod_name);
  if (previous && previous->permanently_failed && !previous->volume_id.empty()) {
    backend_.destroy_volume(previous->agent_id, previous->volume_id);
  }

  for (const model::task_spec* task : tasks) {
    launch_context context{&target_spec_, &pod, task, index, "", choice->ports, volume_id,
                           settings_.api_host, settings_.api_port};
    const std::string name = model::task_name(pod.type, index, task->name);
    context.task_id = name + "__" + new_uuid();
    auto launch_request = build_launch_request(context);
    if (!launch_request) {
      step.add_error(name + ": " + launch_request.err().message);
      return false;
    }
    if (auto st = backend_.launch(choice->chosen, *launch_request); !st) {
      TERNMQ_LOG(warning) << name << ": launch refused: " << st.message();
      return false;
    }
    state::task_record record;
    record.task_name = name;
    record.task_id = context.task_id;
    record.pod_type = pod.type;
    record.pod_index = index;
    record.task = task->name;
    record.config_id = target_id_;
    record.agent_id = choice->chosen.agent_id;
    record.hostname = choice->chosen.hostname;
    record.ip = choice->chosen.ip;
    record.ports = launch_request->ports;
    record.volume_id = volume_id;
    record.state = state::task_state::staging;
    record.message = "launched on " + choice->chosen.agent_id;
    if (auto st = store_.store_task(record); !st) TERNMQ_LOG(error) << "state store: " << st.message();
    TERNMQ_LOG(info) << name << ": launched " << record.task_id << " on " << record.agent_id;
  }
  restarting_.erase(pod_name);
  return true;
}

}  // namespace ternmq::scheduler::runtime
