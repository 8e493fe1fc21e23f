// In-memory kv_store for tests. Thread-safe (one mutex).
#pragma once

#include <map>
#include <mutex>

#include "core/kv/kv_store.hpp"

namespace core::kv {

class memory_kv_store final : public kv_store {
 public:
  status put(std::string_view key, std::string_view value) override;
  status erase(std::string_view key) override;
  status write(const write_batch& batch) override;
  status scan(std::string_view prefix, const std::function<bool(std::string_view, std::string_view)>& f) const override;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> data_;
};

}  // namespace core::kv
