// kv_store on an embedded LevelDB database. Writes are not synced: they reach the OS before
// the call returns, so a killed process loses nothing; a power loss may lose the last writes.
#pragma once

#include <memory>
#include <string>

#include "core/base/result.hpp"
#include "core/kv/kv_store.hpp"

namespace leveldb {
class DB;
class Cache;
}  // namespace leveldb

namespace core::kv {

class leveldb_kv_store final : public kv_store {
 public:
  // Opens (creating if needed) the database in `dir`, creating parent directories too.
  // `cache_bytes` sizes LevelDB's block cache.
  static result<std::unique_ptr<leveldb_kv_store>> open(const std::string& dir, std::size_t cache_bytes);
  ~leveldb_kv_store() override;

  status put(std::string_view key, std::string_view value) override;
  status erase(std::string_view key) override;
  status write(const write_batch& batch) override;
  status scan(std::string_view prefix, const std::function<bool(std::string_view, std::string_view)>& f) const override;

 private:
  leveldb_kv_store(std::unique_ptr<leveldb::DB> db, std::unique_ptr<leveldb::Cache> cache);
  std::unique_ptr<leveldb::Cache> cache_;
  std::unique_ptr<leveldb::DB> db_;
};

}  // namespace core::kv
