// The subscription index: topic filters to subscribers, matched against published topic names.
// Plain and shared (`$share/<group>/...`) subscriptions live in the same tree. Not thread-safe:
// the owner (routing's subscription table) serialises access.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ternmq::topic {

using subscriber_id = std::uint64_t;

// What a subscriber asked for with one filter (MQTT 5.0 subscription options).
struct subscription_options {
  std::uint8_t qos = 0;
  bool no_local = false;
  bool retain_as_published = false;
  std::uint32_t identifier = 0;  // 0 = none
  bool operator==(const subscription_options&) const = default;
};

class subscription_trie {
 public:
  subscription_trie();
  ~subscription_trie();
  subscription_trie(const subscription_trie&) = delete;
  subscription_trie& operator=(const subscription_trie&) = delete;

  // Adds or replaces the subscription of `who` to `filter` (a valid filter, `group` empty for a
  // plain subscription). Returns true when it is new.
  bool add(std::string_view filter, std::string_view group, subscriber_id who, const subscription_options& opts);
  // Returns true when a subscription was removed.
  bool remove(std::string_view filter, std::string_view group, subscriber_id who);

  // Calls `on_plain(who, opts)` for each plain subscription matching `name`, and
  // `on_group(group_name, members)` once per matching shared group.
  using members = std::unordered_map<subscriber_id, subscription_options>;
  void match(std::string_view name,
             const std::function<void(subscriber_id, const subscription_options&)>& on_plain,
             const std::function<void(const std::string&, const members&)>& on_group) const;

  std::size_t subscription_count() const { return count_; }

 private:
  struct node;
  std::unique_ptr<node> root_;
  std::size_t count_ = 0;
};

}  // namespace ternmq::topic
