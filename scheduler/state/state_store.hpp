// The scheduler's persistent state (the SDK's ZooKeeper layout, on a kv_store): framework id, the
// configurations with the target's id, the task records and free-form properties such as
// `last-completed-update-type`. The scheduler rebuilds everything else (plans, task views) from
// this at start. A leveldb_kv_store on the local state directory backs it in local mode.
//
// Keys: "framework-id", "config-target", "configurations/<id>", "tasks/<task name>",
// "properties/<key>". Values are JSON. Not thread-safe beyond the kv_store's own guarantees: the
// scheduler's event loop is the only writer, which is what lets the task records be cached here
// (write-through, read from the store once): the engine reads them several times per tick.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "core/base/status.hpp"
#include "core/kv/kv_store.hpp"
#include "scheduler/model/service_spec.hpp"
#include "scheduler/state/task_record.hpp"

namespace ternmq::scheduler::state {

// One configuration as stored: what is needed to rebuild its service spec exactly (the rendered
// svc.yml, the environment its `TASKCFG_*` routing used, and the config template contents).
struct stored_configuration {
  std::string svc_yml;                               // rendered text
  std::map<std::string, std::string> env;            // the scheduler environment it was rendered with
  std::map<std::string, std::string> templates;      // template path (as in svc.yml) -> content
  friend bool operator==(const stored_configuration&, const stored_configuration&) = default;
};

// Parses `svc_yml`, routes `env` into the tasks and fills the templates' contents.
core::result<model::service_spec> to_service_spec(const stored_configuration& config);

class state_store {
 public:
  explicit state_store(core::kv::kv_store& kv) : kv_(kv) {}

  std::optional<std::string> framework_id() const;
  core::status set_framework_id(std::string_view id);

  core::status store_configuration(std::string_view id, const stored_configuration& config);
  std::optional<stored_configuration> configuration(std::string_view id) const;
  std::vector<std::string> configuration_ids() const;  // sorted
  core::status erase_configuration(std::string_view id);
  std::optional<std::string> target_configuration_id() const;
  core::status set_target_configuration_id(std::string_view id);

  core::status store_task(const task_record& record);
  std::optional<task_record> task(std::string_view task_name) const;
  std::vector<task_record> tasks() const;  // by task name
  core::status erase_task(std::string_view task_name);

  core::status set_property(std::string_view key, std::string_view value);
  std::optional<std::string> property(std::string_view key) const;
  std::vector<std::string> property_keys() const;  // sorted
  core::status erase_property(std::string_view key);

 private:
  std::optional<std::string> get(std::string_view key) const;
  std::vector<std::pair<std::string, std::string>> scan(std::string_view prefix) const;
  const std::map<std::string, task_record, std::less<>>& task_cache() const;
  core::kv::kv_store& kv_;
  mutable std::optional<std::map<std::string, task_record, std::less<>>> tasks_;  // by task name
};

}  // namespace ternmq::scheduler::state
