#include "broker/session/session_registry.hpp"

#include <vector>

namespace ternmq::session {

session_registry::claim_result session_registry::claim(
    const std::string& client_id, bool clean_start, const session_limits& limits,
    const std::function<void(const std::shared_ptr<session>&)>& on_replaced, std::shared_ptr<session_sink> sink) {
  std::shared_ptr<session> replaced;
  claim_result result;
  {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(client_id);
    if (it != sessions_.end() && !clean_start && it->second->expiry_interval() != 0) {
      it->second->set_limits(limits);
      result = {it->second, true, true, 0};
      if (sink) {
        result.s->notify_taken_over();
        result.generation = result.s->attach(std::move(sink));
      }
      return result;
    }
    auto fresh = std::make_shared<session>(next_id_.fetch_add(1), client_id, limits, node_counters_);
    fresh->set_persistence(store_);
    if (it != sessions_.end()) {
      replaced = std::move(it->second);
      it->second = fresh;
      result.existed = true;
    } else {
      sessions_.emplace(client_id, fresh);
    }
    result.s = std::move(fresh);
    if (sink) result.generation = result.s->attach(std::move(sink));
  }
  if (replaced && on_replaced) on_replaced(replaced);
  return result;
}

std::shared_ptr<session> session_registry::restore(const std::string& client_id, const session_limits& limits) {
  auto s = std::make_shared<session>(next_id_.fetch_add(1), client_id, limits, node_counters_);
  std::lock_guard lock(mutex_);
  sessions_[client_id] = s;
  return s;
}

session_registry::release_result session_registry::release(const std::shared_ptr<session>& s, std::uint64_t generation,
                                                           clock::time_point now) {
  std::lock_guard lock(mutex_);
  release_result r;
  r.owner = s->detach(generation, now);
  auto it = sessions_.find(s->client_id());
  r.replaced = it == sessions_.end() || it->second != s;
  if (r.owner && !r.replaced && s->expiry_interval() == 0) {
    sessions_.erase(it);
    r.ended = true;
  }
  return r;
}

bool session_registry::remove(const std::shared_ptr<session>& s) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(s->client_id());
  if (it == sessions_.end() || it->second != s) return false;
  sessions_.erase(it);
  return true;
}

std::shared_ptr<session> session_registry::find(const std::string& client_id) const {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(client_id);
  return it == sessions_.end() ? nullptr : it->second;
}

void session_registry::for_each(const std::function<void(const std::shared_ptr<session>&)>& f) const {
  std::vector<std::shared_ptr<session>> copy;
  {
    std::lock_guard lock(mutex_);
    copy.reserve(sessions_.size());
    for (const auto& [_, s] : sessions_) copy.push_back(s);
  }
  for (const auto& s : copy) f(s);
}

std::size_t session_registry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace ternmq::session
