#include "core/kv/leveldb_kv_store.hpp"

#include <filesystem>

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/write_batch.h>

namespace core::kv {
namespace {

leveldb::Slice slice(std::string_view s) { return leveldb::Slice(s.data(), s.size()); }

status from(const leveldb::Status& s) { return s.ok() ? status::success() : status::failure(s.ToString()); }

}  // namespace

result<std::unique_ptr<leveldb_kv_store>> leveldb_kv_store::open(const std::string& dir, std::size_t cache_bytes) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return error{1, dir + ": cannot create directory: " + ec.message()};
  std::unique_ptr<leveldb::Cache> cache(leveldb::NewLRUCache(cache_bytes));
  leveldb::Options options;
  options.create_if_missing = true;
  options.block_cache = cache.get();
  leveldb::DB* raw = nullptr;
  const leveldb::Status s = leveldb::DB::Open(options, dir, &raw);
  if (!s.ok()) return error{1, dir + ": " + s.ToString()};
  return std::unique_ptr<leveldb_kv_store>(new leveldb_kv_store(std::unique_ptr<leveldb::DB>(raw), std::move(cache)));
}

leveldb_kv_store::leveldb_kv_store(std::unique_ptr<leveldb::DB> db, std::unique_ptr<leveldb::Cache> cache)
    : cache_(std::move(cache)), db_(std::move(db)) {}

leveldb_kv_store::~leveldb_kv_store() {
  db_.reset();  // the database uses the cache until closed
  cache_.reset();
}

status leveldb_kv_store::put(std::string_view key, std::string_view value) {
  return from(db_->Put(leveldb::WriteOptions(), slice(key), slice(value)));
}

status leveldb_kv_store::erase(std::string_view key) { return from(db_->Delete(leveldb::WriteOptions(), slice(key))); }

status leveldb_kv_store::write(const write_batch& batch) {
  leveldb::WriteBatch b;
  for (const auto& op : batch.ops) {
    if (op.erase) {
      b.Delete(op.key);
    } else {
      b.Put(op.key, op.value);
    }
  }
  return from(db_->Write(leveldb::WriteOptions(), &b));
}

status leveldb_kv_store::scan(std::string_view prefix,
                              const std::function<bool(std::string_view, std::string_view)>& f) const {
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  for (it->Seek(slice(prefix)); it->Valid(); it->Next()) {
    const leveldb::Slice k = it->key();
    const std::string_view key(k.data(), k.size());
    if (!key.starts_with(prefix)) break;
    const leveldb::Slice v = it->value();
    if (!f(key, std::string_view(v.data(), v.size()))) break;
  }
  return from(it->status());
}

}  // namespace core::kv
