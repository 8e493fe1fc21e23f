#include "scheduler/state/state_store.hpp"

#include <nlohmann/json.hpp>

#include "scheduler/spec/service_spec_parser.hpp"
#include "scheduler/spec/task_env.hpp"

namespace ternmq::scheduler::state {
namespace {

constexpr std::string_view k_framework_id = "framework-id";
constexpr std::string_view k_config_target = "config-target";
constexpr std::string_view k_configurations = "configurations/";
constexpr std::string_view k_tasks = "tasks/";
constexpr std::string_view k_properties = "properties/";

std::string key(std::string_view prefix, std::string_view name) {
  std::string k(prefix);
  k += name;
  return k;
}

}  // namespace

core::result<model::service_spec> to_service_spec(const stored_configuration& config) {
  auto spec = spec::parse_service_spec(config.svc_yml);
  if (!spec) return spec.err();
  spec::route_task_env(*spec, config.env);
  auto loaded = spec::load_config_templates(*spec, [&](const std::string& path) -> core::result<std::string> {
    auto it = config.templates.find(path);
    if (it == config.templates.end()) return core::error{1, "not in the stored configuration"};
    return it->second;
  });
  if (!loaded) return core::error{1, loaded.message()};
  return spec;
}

std::optional<std::string> state_store::get(std::string_view k) const {
  std::optional<std::string> found;
  (void)kv_.scan(k, [&](std::string_view got, std::string_view value) {
    if (got == k) found = std::string(value);
    return false;  // keys are ordered: the exact key, when present, comes first
  });
  return found;
}

std::vector<std::pair<std::string, std::string>> state_store::scan(std::string_view prefix) const {
  std::vector<std::pair<std::string, std::string>> out;
  (void)kv_.scan(prefix, [&](std::string_view k, std::string_view value) {
    out.emplace_back(std::string(k.substr(prefix.size())), std::string(value));
    return true;
  });
  return out;
}

std::optional<std::string> state_store::framework_id() const { return get(k_framework_id); }
core::status state_store::set_framework_id(std::string_view id) { return kv_.put(k_framework_id, id); }

core::status state_store::store_configuration(std::string_view id, const stored_configuration& config) {
  nlohmann::json j{{"svc_yml", config.svc_yml}, {"env", config.env}, {"templates", config.templates}};
  return kv_.put(key(k_configurations, id), j.dump());
}

std::optional<stored_configuration> state_store::configuration(std::string_view id) const {
  auto text = get(key(k_configurations, id));
  if (!text) return std::nullopt;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  stored_configuration c;
  c.svc_yml = j.value("svc_yml", "");
  c.env = j.value("env", std::map<std::string, std::string>{});
  c.templates = j.value("templates", std::map<std::string, std::string>{});
  return c;
}

std::vector<std::string> state_store::configuration_ids() const {
  std::vector<std::string> ids;
  for (auto& [id, value] : scan(k_configurations)) ids.push_back(id);
  return ids;
}

core::status state_store::erase_configuration(std::string_view id) { return kv_.erase(key(k_configurations, id)); }
std::optional<std::string> state_store::target_configuration_id() const { return get(k_config_target); }
core::status state_store::set_target_configuration_id(std::string_view id) { return kv_.put(k_config_target, id); }

const std::map<std::string, task_record, std::less<>>& state_store::task_cache() const {
  if (!tasks_) {
    tasks_.emplace();
    for (auto& [name, value] : scan(k_tasks)) {
      auto j = nlohmann::json::parse(value, nullptr, false);
      if (j.is_discarded()) continue;
      if (auto r = task_record_from_json(j)) tasks_->emplace(name, std::move(r).value());
    }
  }
  return *tasks_;
}

core::status state_store::store_task(const task_record& record) {
  auto st = kv_.put(key(k_tasks, record.task_name), to_json(record).dump());
  if (st) {
    task_cache();
    (*tasks_)[record.task_name] = record;
  }
  return st;
}

std::optional<task_record> state_store::task(std::string_view task_name) const {
  const auto& cache = task_cache();
  auto it = cache.find(task_name);
  if (it == cache.end()) return std::nullopt;
  return it->second;
}

std::vector<task_record> state_store::tasks() const {
  std::vector<task_record> out;
  for (const auto& [name, record] : task_cache()) out.push_back(record);
  return out;
}

core::status state_store::erase_task(std::string_view task_name) {
  auto st = kv_.erase(key(k_tasks, task_name));
  if (st && tasks_) {
    if (auto it = tasks_->find(task_name); it != tasks_->end()) tasks_->erase(it);
  }
  return st;
}

core::status state_store::set_property(std::string_view k, std::string_view value) {
  return kv_.put(key(k_properties, k), value);
}
std::optional<std::string> state_store::property(std::string_view k) const { return get(key(k_properties, k)); }
std::vector<std::string> state_store::property_keys() const {
  std::vector<std::string> keys;
  for (auto& [k, value] : scan(k_properties)) keys.push_back(k);
  return keys;
}
core::status state_store::erase_property(std::string_view k) { return kv_.erase(key(k_properties, k)); }

}  // namespace ternmq::scheduler::state
