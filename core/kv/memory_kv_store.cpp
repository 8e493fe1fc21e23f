#include "core/kv/memory_kv_store.hpp"

namespace core::kv {

status memory_kv_store::put(std::string_view key, std::string_view value) {
  std::lock_guard lock(mutex_);
  data_.insert_or_assign(std::string(key), std::string(value));
  return status::success();
}

status memory_kv_store::erase(std::string_view key) {
  std::lock_guard lock(mutex_);
  if (auto it = data_.find(key); it != data_.end()) data_.erase(it);
  return status::success();
}

status memory_kv_store::write(const write_batch& batch) {
  std::lock_guard lock(mutex_);
  for (const auto& op : batch.ops) {
    if (op.erase) {
      if (auto it = data_.find(op.key); it != data_.end()) data_.erase(it);
    } else {
      data_.insert_or_assign(op.key, op.value);
    }
  }
  return status::success();
}

status memory_kv_store::scan(std::string_view prefix,
                             const std::function<bool(std::string_view, std::string_view)>& f) const {
  std::lock_guard lock(mutex_);
  for (auto it = data_.lower_bound(prefix); it != data_.end() && it->first.starts_with(prefix); ++it)
    if (!f(it->first, it->second)) break;
  return status::success();
}

std::size_t memory_kv_store::size() const {
  std::lock_guard lock(mutex_);
  return data_.size();
}

}  // namespace core::kv
