#include "broker/session/session.hpp"

#include <algorithm>

namespace ternmq::session {

namespace {
void bump(queue_counters* node, std::atomic<std::uint64_t> queue_counters::*field) {
  if (node) (node->*field).fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

session::session(topic::subscriber_id id, std::string client_id, session_limits limits,
                 queue_counters* node_counters)
    : id_(id), client_id_(std::move(client_id)), limits_(limits), node_counters_(node_counters) {}

bool session::enqueue(delivery d) {
  std::shared_ptr<session_sink> sink;
  {
    std::lock_guard lock(mutex_);
    const bool is_online = sink_ != nullptr;
    if (!is_online && d.qos == 0) {
      ++counters_.dropped_offline_qos0;  // QoS 0 is not stored for offline sessions
      bump(node_counters_, &queue_counters::dropped_offline_qos0);
      return false;
    }
    const std::int64_t limit = is_online ? limits_.max_online_messages : limits_.max_offline_messages;
    if (limit >= 0 && static_cast<std::int64_t>(queue_.size()) >= limit) {
      ++counters_.dropped_queue_full;
      bump(node_counters_, &queue_counters::dropped_queue_full);
      if (limits_.order == queue_order::fifo || queue_.empty()) return false;  // fifo drops the newcomer
      erase_stored_locked(queue_.front());                                     // lifo drops the oldest
      queue_.pop_front();
    }
    if (d.qos > 0 && persistent_locked()) d.store_seq = store_->save_message(client_id_, d);
    queue_.push_back(std::move(d));
    sink = sink_;
  }
  if (sink) sink->wake();
  return true;
}

std::uint64_t session::attach(std::shared_ptr<session_sink> sink) {
  std::lock_guard lock(mutex_);
  sink_ = std::move(sink);
  offline_since_.reset();
  delayed_will_.reset();  // reconnecting before the will delay elapses cancels the will
  return ++generation_;
}

bool session::detach(std::uint64_t generation, clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (generation != generation_ || !sink_) return false;
  sink_.reset();
  offline_since_ = now;
  if (persistent_locked()) save_record_locked();
  // QoS 0 messages are not kept for an offline session.
  std::erase_if(queue_, [&](const delivery& d) {
    if (d.qos != 0) return false;
    ++counters_.dropped_offline_qos0;
    bump(node_counters_, &queue_counters::dropped_offline_qos0);
    return true;
  });
  return true;
}

bool session::online() const {
  std::lock_guard lock(mutex_);
  return sink_ != nullptr;
}

bool session::attached_as(std::uint64_t generation) const {
  std::lock_guard lock(mutex_);
  return sink_ != nullptr && generation == generation_;
}

std::uint16_t session::next_packet_id_locked() {
  // Identifiers in use are skipped; the caller guarantees fewer than 65535 are in flight.
  do {
    last_packet_id_ = static_cast<std::uint16_t>(last_packet_id_ == 0xFFFF ? 1 : last_packet_id_ + 1);
  } while (inflight_.contains(last_packet_id_));
  return last_packet_id_;
}

void session::notify_taken_over() {
  std::shared_ptr<session_sink> sink;
  {
    std::lock_guard lock(mutex_);
    sink = sink_;
  }
  if (sink) sink->taken_over();
}

void session::take_ready(std::uint64_t generation, std::vector<outgoing>& out, std::size_t max_batch,
                         std::uint16_t receive_maximum, clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (generation != generation_ || !sink_) return;
  std::size_t quota = receive_maximum;
  if (limits_.max_inflight != 0) quota = std::min<std::size_t>(quota, limits_.max_inflight);
  quota = std::min<std::size_t>(quota, 65534);
  std::size_t taken = 0;
  while (!queue_.empty() && taken < max_batch) {
    delivery& next = limits_.order == queue_order::fifo ? queue_.front() : queue_.back();
    if (next.msg->expired(now)) {
      ++counters_.dropped_expired;
      bump(node_counters_, &queue_counters::dropped_expired);
      erase_stored_locked(next);
      limits_.order == queue_order::fifo ? queue_.pop_front() : queue_.pop_back();
      continue;
    }
    if (next.qos > 0 && inflight_.size() >= quota) break;
    outgoing o;
    o.d = std::move(next);
    limits_.order == queue_order::fifo ? queue_.pop_front() : queue_.pop_back();
    if (o.d.qos > 0) {
      o.packet_id = next_packet_id_locked();
      // The packet id of a stored QoS 2 message is kept with it, so a restart re-sends it under
      // the same id and the receiver can recognise the duplicate.
      if (o.d.qos == 2 && o.d.store_seq && store_) store_->save_in_flight(client_id_, o.d.store_seq, o.d, o.packet_id, false);
      inflight_.emplace(o.packet_id, in_flight{outgoing::kind::publish, o.d, now});
      inflight_order_.push_back(o.packet_id);
    }
    out.push_back(std::move(o));
    ++taken;
  }
}

void session::resend_inflight(std::uint64_t generation, std::vector<outgoing>& out) {
  collect_retries(generation, clock::now(), clock::duration::zero(), out);
}

void session::collect_retries(std::uint64_t generation, clock::time_point now, clock::duration interval,
                              std::vector<outgoing>& out) {
  std::lock_guard lock(mutex_);
  if (generation != generation_ || !sink_) return;
  for (std::uint16_t id : inflight_order_) {
    const auto it = inflight_.find(id);
    if (it == inflight_.end() || now - it->second.sent_at < interval) continue;
    it->second.sent_at = now;
    outgoing o;
    o.what = it->second.stage;
    o.packet_id = id;
    o.dup = it->second.stage == outgoing::kind::publish;
    if (o.what == outgoing::kind::publish) o.d = it->second.d;
    out.push_back(std::move(o));
  }
}

void session::forget_inflight(std::uint16_t packet_id) {
  std::lock_guard lock(mutex_);
  if (auto it = inflight_.find(packet_id); it != inflight_.end()) erase_stored_locked(it->second.d);
  inflight_.erase(packet_id);
  std::erase(inflight_order_, packet_id);
}

bool session::on_puback(std::uint16_t packet_id) {
  std::lock_guard lock(mutex_);
  const auto it = inflight_.find(packet_id);
  if (it == inflight_.end() || it->second.stage != outgoing::kind::publish || it->second.d.qos != 1) return false;
  erase_stored_locked(it->second.d);
  inflight_.erase(it);
  std::erase(inflight_order_, packet_id);
  return true;
}

bool session::on_pubrec(std::uint16_t packet_id, clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto it = inflight_.find(packet_id);
  if (it == inflight_.end() || it->second.d.qos != 2) return false;
  if (it->second.stage == outgoing::kind::publish && it->second.d.store_seq && store_)
    store_->save_in_flight(client_id_, it->second.d.store_seq, it->second.d, packet_id, true);
  it->second.stage = outgoing::kind::pubrel;
  it->second.sent_at = now;
  it->second.d.msg.reset();  // the message is delivered; only the identifier remains
  return true;
}

bool session::on_pubcomp(std::uint16_t packet_id) {
  std::lock_guard lock(mutex_);
  const auto it = inflight_.find(packet_id);
  if (it == inflight_.end() || it->second.stage != outgoing::kind::pubrel) return false;
  erase_stored_locked(it->second.d);
  inflight_.erase(it);
  std::erase(inflight_order_, packet_id);
  return true;
}

bool session::begin_incoming_qos2(std::uint16_t packet_id) {
  std::lock_guard lock(mutex_);
  return incoming_qos2_.insert(packet_id).second;
}

bool session::release_incoming_qos2(std::uint16_t packet_id) {
  std::lock_guard lock(mutex_);
  return incoming_qos2_.erase(packet_id) > 0;
}

std::size_t session::incoming_qos2_pending() const {
  std::lock_guard lock(mutex_);
  return incoming_qos2_.size();
}

void session::set_subscription(const subscription& s) {
  std::lock_guard lock(mutex_);
  subscriptions_[s.filter] = s.options;
  if (persistent_locked()) save_record_locked();
}

bool session::remove_subscription(const std::string& filter) {
  std::lock_guard lock(mutex_);
  const bool removed = subscriptions_.erase(filter) > 0;
  if (removed && persistent_locked()) save_record_locked();
  return removed;
}

std::vector<subscription> session::subscriptions() const {
  std::lock_guard lock(mutex_);
  std::vector<subscription> out;
  out.reserve(subscriptions_.size());
  for (const auto& [f, o] : subscriptions_) out.push_back({f, o});
  return out;
}

void session::clear() {
  std::lock_guard lock(mutex_);
  subscriptions_.clear();
  queue_.clear();
  inflight_.clear();
  inflight_order_.clear();
  incoming_qos2_.clear();
  // The session is over: its records go, and it never writes again (a newer session with the
  // same client id owns those keys now).
  if (store_) store_->erase_session(client_id_);
  store_ = nullptr;
}

void session::set_expiry_interval(std::uint32_t seconds) {
  std::lock_guard lock(mutex_);
  const bool was_persistent = persistent_locked();
  expiry_interval_ = seconds;
  if (persistent_locked()) {
    save_record_locked();
  } else if (was_persistent) {
    store_->erase_session(client_id_);  // ends with its connection now: nothing to keep
  }
}

void session::set_persistence(session_persistence* store) {
  std::lock_guard lock(mutex_);
  store_ = store;
  if (persistent_locked()) save_record_locked();
}

void session::restore_queued(delivery d) {
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(d));
}

void session::restore_in_flight(delivery d, std::uint16_t packet_id, bool released) {
  std::lock_guard lock(mutex_);
  if (packet_id == 0 || inflight_.contains(packet_id)) {
    queue_.push_back(std::move(d));
    return;
  }
  inflight_.emplace(packet_id, in_flight{released ? outgoing::kind::pubrel : outgoing::kind::publish, std::move(d), {}});
  inflight_order_.push_back(packet_id);
}

void session::restore_offline_since(clock::time_point t) {
  std::lock_guard lock(mutex_);
  offline_since_ = t;
}

void session::save_record_locked() {
  session_record r;
  r.client_id = client_id_;
  r.expiry_interval = expiry_interval_;
  for (const auto& [f, o] : subscriptions_) r.subscriptions.push_back({f, o});
  if (offline_since_) {
    r.offline_since = std::chrono::system_clock::now() -
                      std::chrono::duration_cast<std::chrono::system_clock::duration>(clock::now() - *offline_since_);
  }
  store_->save_session(r);
}

void session::erase_stored_locked(const delivery& d) {
  if (d.store_seq && store_) store_->erase_message(client_id_, d.store_seq);
}

std::uint32_t session::expiry_interval() const {
  std::lock_guard lock(mutex_);
  return expiry_interval_;
}

std::optional<clock::time_point> session::offline_since() const {
  std::lock_guard lock(mutex_);
  return offline_since_;
}

void session::set_delayed_will(message_ptr will, clock::time_point due) {
  std::lock_guard lock(mutex_);
  delayed_will_ = std::move(will);
  delayed_will_due_ = due;
}

message_ptr session::take_delayed_will(clock::time_point now, bool force) {
  std::lock_guard lock(mutex_);
  if (!delayed_will_ || (!force && now < delayed_will_due_)) return nullptr;
  return std::exchange(delayed_will_, nullptr);
}

void session::set_limits(const session_limits& limits) {
  std::lock_guard lock(mutex_);
  limits_ = limits;
}

session_counters session::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

std::size_t session::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::size_t session::inflight() const {
  std::lock_guard lock(mutex_);
  return inflight_.size();
}

}  // namespace ternmq::session
