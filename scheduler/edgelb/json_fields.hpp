// Internal to the edgelb module: strict, typed reading of the JSON objects of an Edge-LB pool.
// Every problem is recorded with the field's JSON path (`haproxy.frontends[1].bindPort`) and
// reading goes on, so one pass reports all of them. Each key of an object is read, ignored on
// purpose (a pool field that only matters on DC/OS), refused by name (a field local mode cannot
// honour), or reported as unknown, so a misspelt key never passes unnoticed. A JSON null counts
// as absent, as it does for Edge-LB's Go decoder.
//
// Not thread-safe; one `json_errors` per parse.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ternmq::scheduler::edgelb::detail {

// "a.b" from "a" and "b"; "b" when `parent` is empty.
std::string child_path(std::string_view parent, std::string_view key);
// "a[3]".
std::string index_path(std::string_view parent, std::size_t index);

class json_errors {
 public:
  // Records "PATH: REASON" ("<root>: REASON" for an empty path).
  void add(std::string_view path, std::string_view reason);
  bool empty() const { return list_.empty(); }
  const std::vector<std::string>& list() const { return list_; }

 private:
  std::vector<std::string> list_;
};

// Reads the keys of one JSON object. REQUIRES: `value` and `errors` outlive the reader.
class object_reader {
 public:
  // Records an error when `value` is not an object; every read then finds nothing.
  object_reader(const nlohmann::json& value, std::string path, json_errors& errors);

  const std::string& path() const { return path_; }

  // The value under `key`, nullptr when absent or null (an error when `required`).
  const nlohmann::json* field(std::string_view key, bool required);
  // A string; an error when it is something else, or empty while `required`.
  std::optional<std::string> string(std::string_view key, bool required);
  // An integer within [min, max].
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max, bool required);
  // An object or an array; nullptr (with an error) when the value has another type.
  const nlohmann::json* object(std::string_view key, bool required);
  const nlohmann::json* array(std::string_view key, bool required);
  // An array of strings.
  std::vector<std::string> strings(std::string_view key);

  // Keys that are valid in a pool but have no effect here.
  void ignore(std::initializer_list<std::string_view> keys);
  // Keys that are valid in a pool but cannot be honoured here: an error when set (not null, not
  // false, not an empty array or object).
  void refuse(std::initializer_list<std::string_view> keys, std::string_view reason);
  // Reports every key that was neither read, ignored nor refused as unknown.
  void finish();

 private:
  const nlohmann::json* object_ = nullptr;
  std::string path_;
  json_errors& errors_;
  std::set<std::string, std::less<>> handled_;
};

// "a string", "an integer"... for messages.
std::string describe_type(const nlohmann::json& value);

}  // namespace ternmq::scheduler::edgelb::detail
