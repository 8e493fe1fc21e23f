// An ordered key-value store: the seam between what the broker persists and where it goes.
// `leveldb_kv_store` backs a node; `memory_kv_store` backs unit tests. Implementations are
// thread-safe: concurrent calls from any thread are allowed.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/status.hpp"

namespace core::kv {

// Puts and erases applied together, atomically.
struct write_batch {
  struct op {
    bool erase = false;
    std::string key;
    std::string value;
  };
  std::vector<op> ops;
  void put(std::string key, std::string value) { ops.push_back({false, std::move(key), std::move(value)}); }
  void erase(std::string key) { ops.push_back({true, std::move(key), {}}); }
  bool empty() const { return ops.empty(); }
};

class kv_store {
 public:
  virtual ~kv_store() = default;
  virtual status put(std::string_view key, std::string_view value) = 0;
  virtual status erase(std::string_view key) = 0;
  virtual status write(const write_batch& batch) = 0;
  // Calls `f(key, value)` in key order for every key starting with `prefix`; stops when `f`
  // returns false.
  virtual status scan(std::string_view prefix, const std::function<bool(std::string_view, std::string_view)>& f) const = 0;
};

}  // namespace core::kv
