// Internal to the spec module: strict, typed reading of yaml-cpp nodes for the svc.yml parser.
// Every problem is recorded, with the field's YAML path (`pods.node.tasks.broker.cpus`) and the
// line and column yaml-cpp gives, and reading goes on so that one pass reports all of them.
// Null values (`key:` or `key: ~`, what a template variable that renders empty leaves) count as
// absent, as they do for dcos-commons' Jackson mapping. Not thread-safe; one per parse.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace ternmq::scheduler::spec::detail {

// "a.b" from "a" and "b"; "b" when `parent` is empty.
std::string child_path(std::string_view parent, std::string_view key);
// "a[3]".
std::string index_path(std::string_view parent, std::size_t index);

class yaml_errors {
 public:
  // Records "PATH: REASON (line L, column C)"; the location is left out when `mark` is null.
  void add(std::string_view path, std::string_view reason, const YAML::Mark& mark);
  bool empty() const { return list_.empty(); }
  const std::vector<std::string>& list() const { return list_; }

 private:
  std::vector<std::string> list_;
};

// Where to report a problem with `value`: its own mark, or `fallback` (its key's) when `value` is
// null and yaml-cpp marks the next token instead.
YAML::Mark mark_of(const YAML::Node& value, const YAML::Mark& fallback = YAML::Mark::null_mark());

// The mark of the key reached from `root` by walking maps along `keys` (`{"tasks", "broker", "ports",
// "mqtt"}`), or of the deepest key found on the way; for checks that run after the model is built.
YAML::Mark key_mark(const YAML::Node& root, const std::vector<std::string>& keys);

// Typed readers for one node at `path`. Each records an error and returns `nullopt` when the node
// is null, of the wrong kind, or out of range. Numbers may be plain or quoted ("5").
std::optional<std::string> read_string(const YAML::Node& n, std::string_view path, yaml_errors& errors,
                                       const YAML::Mark& where);
std::optional<std::int64_t> read_integer(const YAML::Node& n, std::string_view path, yaml_errors& errors,
                                         const YAML::Mark& where, std::int64_t min, std::int64_t max);
// A finite number of at least `min` (more than `min` when `min_exclusive`).
std::optional<double> read_number(const YAML::Node& n, std::string_view path, yaml_errors& errors,
                                  const YAML::Mark& where, double min, bool min_exclusive);
// true/false, and YAML 1.1's yes/no/on/off, in any case.
std::optional<bool> read_bool(const YAML::Node& n, std::string_view path, yaml_errors& errors,
                              const YAML::Mark& where);

// The entries of one YAML map, checked against the keys the spec object at `path` knows: a key not
// in `known` is reported ("unknown key", with a suggestion when one is close), a repeated key is
// reported and its later entries dropped, and a node that is not a map is reported and reads as
// empty. Getters look up present, non-null entries.
class yaml_map {
 public:
  struct entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
  };

  // `fallback` locates errors about a null `node` (`key:` alone): pass its key's mark.
  yaml_map(const YAML::Node& node, std::string path, yaml_errors& errors, std::initializer_list<std::string_view> known,
           const YAML::Mark& fallback = YAML::Mark::null_mark());
  // A map whose keys are names chosen by the svc.yml author (pod types, port names...): every key
  // is accepted.
  yaml_map(const YAML::Node& node, std::string path, yaml_errors& errors);

  bool is_map() const { return is_map_; }
  const std::string& path() const { return path_; }
  std::string path(std::string_view key) const { return child_path(path_, key); }
  yaml_errors& errors() const { return errors_; }
  const YAML::Mark& mark() const { return mark_; }
  const std::vector<entry>& entries() const { return entries_; }

  // The entry for `key` when present and not null.
  const entry* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }
  // Records "PATH: missing required key "KEY"" at the map's mark unless `key` is present; returns
  // whether it is.
  bool require(std::string_view key) const;
  // Records "PATH.KEY: REASON" at the entry's value (or the map when it is absent).
  void error(std::string_view key, std::string_view reason) const;

  std::optional<std::string> string(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) const;
  std::optional<double> number(std::string_view key, double min, bool min_exclusive = false) const;
  std::optional<bool> boolean(std::string_view key) const;
  // The list of strings at `key`; an error per item that is not a scalar.
  std::vector<std::string> strings(std::string_view key) const;

 private:
  void read(const YAML::Node& node, const std::initializer_list<std::string_view>* known, const YAML::Mark& fallback);

  std::string path_;
  yaml_errors& errors_;
  YAML::Mark mark_;
  bool is_map_ = false;
  std::vector<entry> entries_;
};

// "a map", "a list", "null" or the scalar in quotes: what error messages say they got.
std::string describe(const YAML::Node& n);

}  // namespace ternmq::scheduler::spec::detail
