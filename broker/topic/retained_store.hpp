// Retained messages by topic name, with wildcard lookup for a new subscription's filter.
// The value is opaque to this module (routing stores its message type behind it). Thread-safe: readers share a lock, writers
// take it alone; callers copy the shared pointers they need and do I/O outside.
#pragma once

#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace ternmq::topic {

class retained_store {
 public:
  using value_type = std::shared_ptr<const void>;

  retained_store();
  ~retained_store();
  retained_store(const retained_store&) = delete;
  retained_store& operator=(const retained_store&) = delete;

  // Stores `value` for `name`, or clears it when `value` is null.
  void put(std::string_view name, value_type value);
  // Calls `f(name, value)` for each retained topic matching `filter` (wildcards allowed).
  void match(std::string_view filter, const std::function<void(const std::string&, const value_type&)>& f) const;
  // Calls `f(name, value)` for every retained topic.
  void for_each(const std::function<void(const std::string&, const value_type&)>& f) const;
  std::size_t size() const;

 private:
  struct node;
  mutable std::shared_mutex mutex_;
  std::unique_ptr<node> root_;
  std::size_t size_ = 0;
};

}  // namespace ternmq::topic
