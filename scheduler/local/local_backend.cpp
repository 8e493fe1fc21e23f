// local_backend: opening and recovery, offers, kills, volumes, reconciliation and polling.
// Launching lives in local_backend_launch.cpp.
#include "scheduler/local/local_backend.hpp"

#include <algorithm>
#include <cmath>
#include <system_error>
#include <utility>

#include "core/base/log.hpp"
#include "scheduler/local/port_availability.hpp"
#include "scheduler/local/proc_stat.hpp"
#include "scheduler/local/task_environment.hpp"

namespace ternmq::scheduler::local {

namespace fs = std::filesystem;

namespace {

constexpr auto k_process_watch_interval = std::chrono::milliseconds(100);
constexpr auto k_idle_poll_interval = std::chrono::milliseconds(1000);

// Mesos scalars have three decimals; rounding keeps 1.0 - 0.3 - 0.3 - 0.4 from being below zero.
double round_scalar(double value) { return std::round(value * 1000.0) / 1000.0; }

std::string agent_name(std::uint32_t index) { return "local-agent-" + std::to_string(index); }

}  // namespace

core::result<std::unique_ptr<local_backend>> local_backend::open(local_backend_options options) {
  auto owned = std::make_unique<real_clock>();
  clock& time = *owned;
  return create(std::move(options), time, std::move(owned));
}

core::result<std::unique_ptr<local_backend>> local_backend::open(local_backend_options options, clock& time) {
  return create(std::move(options), time, nullptr);
}

core::result<std::unique_ptr<local_backend>> local_backend::create(local_backend_options options, clock& time,
                                                                   std::unique_ptr<clock> owned_clock) {
  if (options.work_dir.empty()) return core::error{1, "local backend: work_dir is required"};
  if (options.agent_count == 0) return core::error{1, "local backend: agent_count must be at least 1"};
  if (options.port_range.begin > options.port_range.end) {
    return core::error{1, "local backend: port range begins after it ends"};
  }
  std::error_code ec;
  options.work_dir = fs::absolute(options.work_dir, ec).lexically_normal();
  if (ec) return core::error{1, "local backend: work_dir: " + ec.message()};
  std::unique_ptr<local_backend> backend(new local_backend(std::move(options), time, std::move(owned_clock)));
  if (auto ready = backend->checkpoints_.open(); !ready) return core::error{1, "local backend: " + ready.message()};
  backend->recover();
  return backend;
}

local_backend::local_backend(local_backend_options options, clock& time, std::unique_ptr<clock> owned_clock)
    : options_(std::move(options)),
      owned_clock_(std::move(owned_clock)),
      clock_(time),
      layout_(options_.work_dir),
      checkpoints_(layout_.checkpoints()),
      task_path_(options_.task_path.empty() ? default_task_path() : options_.task_path) {
  for (std::uint32_t i = 0; i < options_.agent_count; ++i) {
    agents_.push_back({agent_name(i), {options_.cpus, options_.memory_mb, options_.disk_mb}});
  }
  // Offer ids stay unique across scheduler restarts too.
  const auto started = std::chrono::system_clock::now().time_since_epoch();
  offer_prefix_ =
      "local-offer-" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(started).count());
}

local_backend::~local_backend() = default;

void local_backend::recover() {
  for (auto& entry : checkpoints_.load_all()) {
    used_task_ids_.insert(entry.task_id);
    if (!entry.checkpoint) {
      TERNMQ_LOG(warning) << "local backend: " << entry.checkpoint.err().message;
      task_checkpoint unknown;
      unknown.task_id = entry.task_id;
      tasks_[entry.task_id] =
          task_runner::ended(std::move(unknown), state::task_state::lost,
                             "its checkpoint is unreadable: " + entry.checkpoint.err().message, checkpoints_, clock_);
      continue;
    }
    task_checkpoint task = std::move(entry.checkpoint.value());
    task.task_id = entry.task_id;
    if (is_same_process(task.pid, task.start_time)) {
      TERNMQ_LOG(info) << "local backend: re-attached to task " << task.task_id << " (pid " << task.pid << ")";
      tasks_[entry.task_id] = task_runner::adopted(std::move(task), checkpoints_, clock_);
    } else {
      TERNMQ_LOG(warning) << "local backend: task " << task.task_id << " is gone (pid " << task.pid << ")";
      tasks_[entry.task_id] =
          task_runner::ended(std::move(task), state::task_state::lost,
                             "exited while the scheduler was away; its exit status is unknown", checkpoints_, clock_);
    }
  }
}

const local_agent* local_backend::find_agent(const std::string& agent_id) const {
  auto it = std::find_if(agents_.begin(), agents_.end(), [&](const local_agent& a) { return a.id == agent_id; });
  return it == agents_.end() ? nullptr : &*it;
}

model::resources local_backend::free_resources(const std::string& agent_id) const {
  const local_agent* agent = find_agent(agent_id);
  if (agent == nullptr) return {};
  model::resources used;
  for (const auto& [id, runner] : tasks_) {
    if (runner->holds_resources() && runner->task().agent_id == agent_id) used += runner->task().resources;
  }
  return {round_scalar(agent->resources.cpus - used.cpus), round_scalar(agent->resources.memory_mb - used.memory_mb),
          round_scalar(agent->resources.disk_mb - used.disk_mb)};
}

std::map<std::uint16_t, std::string> local_backend::ports_in_use() const {
  std::map<std::uint16_t, std::string> ports;
  for (const auto& [id, runner] : tasks_) {
    if (!runner->holds_resources()) continue;
    for (const auto& [name, port] : runner->task().ports) ports.emplace(port, id);
  }
  return ports;
}

std::vector<backend::offer> local_backend::offers() {
  std::set<std::uint16_t> used;
  for (const auto& [port, task_id] : ports_in_use()) used.insert(port);
  std::map<std::uint16_t, bool> probed;  // the agents share one address: probe each port once
  const port_probe bindable = [&](std::uint16_t port) {
    auto [it, fresh] = probed.try_emplace(port, false);
    if (fresh) it->second = can_bind(options_.ip, port);
    return it->second;
  };
  std::vector<backend::offer> out;
  for (const auto& agent : agents_) {
    backend::offer offer;
    offer.id = offer_prefix_ + "-" + std::to_string(offers_made_++);
    offer.agent_id = agent.id;
    offer.hostname = agent.id;
    offer.ip = options_.ip;
    offer.available = free_resources(agent.id);
    offer.ports = free_port_ranges(options_.port_range, used, bindable);
    out.push_back(std::move(offer));
  }
  return out;
}

void local_backend::kill(const std::string& task_id) {
  if (auto it = tasks_.find(task_id); it != tasks_.end()) it->second->kill();
}

void local_backend::kill_all() {
  for (auto& [id, runner] : tasks_) runner->kill();
}

void local_backend::destroy_volume(const std::string& agent_id, const std::string& volume_id) {
  if (!is_safe_name(agent_id) || !is_safe_name(volume_id)) {
    TERNMQ_LOG(error) << "local backend: invalid volume '" << volume_id << "' on agent '" << agent_id << "'";
    return;
  }
  for (const auto& [id, runner] : tasks_) {
    const auto& task = runner->task();
    if (runner->holds_resources() && task.agent_id == agent_id &&
        std::find(task.volume_ids.begin(), task.volume_ids.end(), volume_id) != task.volume_ids.end()) {
      TERNMQ_LOG(error) << "local backend: not destroying volume " << volume_id << ": task " << id << " uses it";
      return;
    }
  }
  if (auto removed = remove_volume(layout_.volume(agent_id, volume_id)); !removed) {
    TERNMQ_LOG(error) << "local backend: " << removed.message();
  } else {
    TERNMQ_LOG(info) << "local backend: destroyed volume " << volume_id << " on " << agent_id;
  }
}

std::vector<backend::task_status> local_backend::reconcile() {
  std::vector<backend::task_status> statuses;
  for (const auto& [id, runner] : tasks_) statuses.push_back(runner->status());
  return statuses;
}

std::vector<backend::task_status> local_backend::poll() {
  std::vector<backend::task_status> updates;
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    auto produced = it->second->poll();
    updates.insert(updates.end(), std::make_move_iterator(produced.begin()), std::make_move_iterator(produced.end()));
    it = it->second->is_over() ? tasks_.erase(it) : std::next(it);
  }
  return updates;
}

std::chrono::milliseconds local_backend::next_poll_in() const {
  const auto now = clock_.now();
  auto next = now + k_idle_poll_interval;
  for (const auto& [id, runner] : tasks_) {
    if (runner->has_pending_statuses()) return std::chrono::milliseconds(0);
    if (runner->holds_resources()) next = std::min(next, now + k_process_watch_interval);
    next = std::min(next, runner->next_deadline());
  }
  if (next <= now) return std::chrono::milliseconds(0);
  return std::chrono::ceil<std::chrono::milliseconds>(next - now);
}

}  // namespace ternmq::scheduler::local
