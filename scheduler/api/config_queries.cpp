// /v1/configurations answers from the state store (see config_queries.hpp).
#include "scheduler/api/config_queries.hpp"

#include <string>

#include "scheduler/api/service_spec_json.hpp"

namespace ternmq::scheduler::api {

response list_configurations(const state::state_store& store) { return json_answer(200, store.configuration_ids()); }

response target_id(const state::state_store& store) {
  const auto id = store.target_configuration_id();
  if (!id) return text_answer(404, "Target configuration not found");
  return json_answer(200, nlohmann::json::array({*id}));
}

response get_configuration(const state::state_store& store, std::string_view id) {
  const auto stored = store.configuration(id);
  if (!stored) return not_found("Configuration", id);
  const auto spec = state::to_service_spec(*stored);
  if (!spec) return text_answer(500, "Configuration " + std::string(id) + " cannot be read: " + spec.err().message);
  return json_answer(200, to_json(*spec));
}

response get_target_configuration(const state::state_store& store) {
  const auto id = store.target_configuration_id();
  if (!id) return text_answer(404, "Target configuration not found");
  return get_configuration(store, *id);
}

}  // namespace ternmq::scheduler::api
