// Last-writer-wins merging, local writes and queries of a replicated map; see metadata_map.hpp.
#include "broker/cluster/metadata_map.hpp"

#include <utility>

namespace ternmq::cluster {

std::optional<metadata_change> metadata_map::merge(const metadata_entry& e) {
  auto it = entries_.find(e.key);
  if (it == entries_.end()) {
    entries_.emplace(e.key, e);
    if (e.tombstone()) return std::nullopt;  // erasing what we never had: nothing visible
    ++live_;
    return metadata_change{e.key, std::nullopt, e.value};
  }
  if (!supersedes(e, it->second)) return std::nullopt;
  std::optional<std::string> before = std::move(it->second.value);
  if (before) --live_;
  if (e.value) ++live_;
  it->second = e;
  if (before == e.value) return std::nullopt;
  return metadata_change{e.key, std::move(before), e.value};
}

metadata_entry metadata_map::put(metadata_key key, std::string value, std::uint64_t now_ms) {
  metadata_entry e{std::move(key), clock_.tick(now_ms), std::move(value)};
  merge(e);
  return e;
}

metadata_entry metadata_map::erase(metadata_key key, std::uint64_t now_ms) {
  // A tombstone even for a key we do not hold: it also defeats an older write still on its way.
  metadata_entry e{std::move(key), clock_.tick(now_ms), std::nullopt};
  merge(e);
  return e;
}

std::vector<metadata_entry> metadata_map::erase_owner(const std::string& owner, std::uint64_t now_ms) {
  std::vector<metadata_key> keys;
  for (const auto& e : entries_of(owner)) keys.push_back(e.key);
  std::vector<metadata_entry> out;
  out.reserve(keys.size());
  for (auto& k : keys) out.push_back(erase(std::move(k), now_ms));
  return out;
}

core::result<std::optional<metadata_change>> metadata_map::apply(const metadata_entry& e, std::uint64_t now_ms) {
  // Observing first keeps local writes ahead of everything merged; a refused stamp changes
  // neither the clock nor the entries.
  auto observed = clock_.observe(e.stamp, now_ms);
  if (!observed) return observed.err();
  return merge(e);
}

std::optional<std::string> metadata_map::get(const metadata_key& key) const {
  const metadata_entry* e = find(key);
  if (e == nullptr) return std::nullopt;
  return e->value;
}

const metadata_entry* metadata_map::find(const metadata_key& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<metadata_entry> metadata_map::snapshot() const {
  std::vector<metadata_entry> out;
  out.reserve(entries_.size());
  for (const auto& [_, e] : entries_) out.push_back(e);
  return out;
}

std::vector<metadata_entry> metadata_map::entries_since(const hlc_timestamp& since) const {
  std::vector<metadata_entry> out;
  for (const auto& [_, e] : entries_) {
    if (e.stamp > since) out.push_back(e);
  }
  return out;
}

std::vector<metadata_entry> metadata_map::entries_of(const std::string& owner) const {
  std::vector<metadata_entry> out;
  // Keys sort by owner first, so one owner's entries are one contiguous range.
  for (auto it = entries_.lower_bound(metadata_key{owner, {}}); it != entries_.end() && it->first.owner == owner;
       ++it) {
    if (!it->second.tombstone()) out.push_back(it->second);
  }
  return out;
}

std::size_t metadata_map::purge_tombstones(std::uint64_t now_ms, std::uint64_t max_age_ms) {
  std::size_t purged = 0;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const std::uint64_t written = it->second.stamp.physical_ms;
    if (it->second.tombstone() && now_ms >= written && now_ms - written >= max_age_ms) {
      it = entries_.erase(it);
      ++purged;
    } else {
      ++it;
    }
  }
  return purged;
}

}  // namespace ternmq::cluster
