// /v1/state answers from the state store (see state_queries.hpp).
#include "scheduler/api/state_queries.hpp"

namespace ternmq::scheduler::api {

response framework_id(const state::state_store& store) {
  const auto id = store.framework_id();
  if (!id) return text_answer(404, "Framework ID not found");
  return json_answer(200, nlohmann::json::array({*id}));
}

response property_keys(const state::state_store& store) { return json_answer(200, store.property_keys()); }

response property(const state::state_store& store, std::string_view key) {
  auto value = store.property(key);
  if (!value) return not_found("Property", key);
  return text_answer(200, std::move(*value));
}

}  // namespace ternmq::scheduler::api
