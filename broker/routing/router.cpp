#include "broker/routing/router.hpp"

#include <algorithm>
#include <mutex>

#include "broker/topic/topic.hpp"

namespace ternmq::routing {
namespace {

struct split_filter {
  std::string group;  // empty for a plain subscription
  std::string filter;
};

split_filter split(const std::string& filter) {
  if (auto shared = topic::parse_shared(filter)) return {std::move(shared->group), std::move(shared->filter)};
  return {{}, filter};
}

// Per-thread randomness for picking shared-subscription members: no shared state.
std::minstd_rand& rng() {
  thread_local std::minstd_rand gen{std::random_device{}()};
  return gen;
}

// One receiving session with the merged result of all its matching plain subscriptions.
struct target {
  topic::subscriber_id who;
  std::uint8_t qos;
  bool retain_as_published;
  std::vector<std::uint32_t> ids;
};

}  // namespace

router::router(router_options options) : options_(options) {
  const std::size_t n = std::max<std::size_t>(1, options_.replicas);
  for (std::size_t i = 0; i < n; ++i) replicas_.push_back(std::make_unique<replica>());
}

void router::subscribe(const std::shared_ptr<session::session>& s, const session::subscription& sub) {
  const split_filter f = split(sub.filter);
  for (auto& r : replicas_) {
    std::unique_lock lock(r->mutex);
    if (r->trie.add(f.filter, f.group, s->id(), sub.options)) {
      auto& entry = r->sessions[s->id()];
      entry.first = s;
      ++entry.second;
    }
  }
}

bool router::unsubscribe(topic::subscriber_id who, const std::string& filter) {
  const split_filter f = split(filter);
  bool existed = false;
  for (auto& r : replicas_) {
    std::unique_lock lock(r->mutex);
    if (r->trie.remove(f.filter, f.group, who)) {
      existed = true;
      auto it = r->sessions.find(who);
      if (it != r->sessions.end() && --it->second.second == 0) r->sessions.erase(it);
    }
  }
  return existed;
}

void router::unsubscribe_all(const session::session& s) {
  for (const auto& sub : s.subscriptions()) unsubscribe(s.id(), sub.filter);
}

session::session* router::find_locked(const replica& r, topic::subscriber_id who) const {
  const auto it = r.sessions.find(who);
  return it == r.sessions.end() ? nullptr : it->second.first.get();
}

std::size_t router::publish(const session::message_ptr& m, std::size_t replica_index) {
  const replica& r = *replicas_[replica_index % replicas_.size()];
  std::shared_lock lock(r.mutex);

  auto effective_qos = [&](std::uint8_t sub_qos) {
    return options_.upgrade_outgoing_qos ? sub_qos : std::min(m->qos, sub_qos);
  };

  std::vector<target> targets;
  std::size_t queued = 0;
  r.trie.match(
      m->topic,
      [&](topic::subscriber_id who, const topic::subscription_options& o) {
        if (o.no_local && who == m->publisher) return;  // MQTT-3.8.3-3
        targets.push_back({who, effective_qos(o.qos), o.retain_as_published, {}});
        if (o.identifier) targets.back().ids.push_back(o.identifier);
      },
      [&](const std::string&, const topic::subscription_trie::members& members) {
        // A shared group delivers to one member: an online one when there is one.
        std::vector<std::pair<session::session*, const topic::subscription_options*>> online, offline;
        for (const auto& [who, o] : members) {
          session::session* s = find_locked(r, who);
          if (!s) continue;
          (s->online() ? online : offline).emplace_back(s, &o);
        }
        // Start at a random member and move on while members refuse (queue full), online ones
        // first, so a message is lost only when no member of the group can take it.
        for (auto* pool : {&online, &offline}) {
          if (pool->empty()) continue;
          const std::size_t start = std::uniform_int_distribution<std::size_t>(0, pool->size() - 1)(rng());
          for (std::size_t i = 0; i < pool->size(); ++i) {
            const auto& [s, o] = (*pool)[(start + i) % pool->size()];
            session::delivery d{m, effective_qos(o->qos), o->retain_as_published && m->retain, {}};
            if (o->identifier) d.subscription_ids.push_back(o->identifier);
            if (s->enqueue(std::move(d))) {
              ++queued;
              return;
            }
          }
        }
      });

  // Overlapping subscriptions of one session give one delivery with the highest QoS and every
  // subscription identifier (MQTT-3.3.4-2, -3, -4, -5).
  std::sort(targets.begin(), targets.end(), [](const target& a, const target& b) { return a.who < b.who; });
  for (std::size_t i = 0; i < targets.size();) {
    target merged = std::move(targets[i]);
    std::size_t j = i + 1;
    for (; j < targets.size() && targets[j].who == merged.who; ++j) {
      merged.qos = std::max(merged.qos, targets[j].qos);
      merged.retain_as_published = merged.retain_as_published || targets[j].retain_as_published;
      merged.ids.insert(merged.ids.end(), targets[j].ids.begin(), targets[j].ids.end());
    }
    i = j;
    if (session::session* s = find_locked(r, merged.who)) {
      session::delivery d{m, merged.qos, merged.retain_as_published && m->retain, std::move(merged.ids)};
      if (s->enqueue(std::move(d))) ++queued;
    }
  }
  return queued;
}

void router::retain(const session::message_ptr& m) {
  if (m->payload.empty()) {
    retained_.put(m->topic, nullptr);  // MQTT-3.3.1-10: an empty retained message clears the topic
  } else {
    retained_.put(m->topic, m);
  }
}

void router::retained_matching(const std::string& filter,
                               const std::function<void(const session::message_ptr&)>& f,
                               session::clock::time_point now) const {
  retained_.match(filter, [&](const std::string&, const topic::retained_store::value_type& v) {
    auto m = std::static_pointer_cast<const session::message>(v);
    if (!m->expired(now)) f(m);
  });
}

std::size_t router::subscription_count() const {
  std::shared_lock lock(replicas_[0]->mutex);
  return replicas_[0]->trie.subscription_count();
}

}  // namespace ternmq::routing
