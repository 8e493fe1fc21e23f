// The logic behind the SDK's `/v1/configurations` (SDK `ConfigQueries`): the stored configurations
// and which one is the target. Pure; run on the scheduler's event loop.
//
//   GET /v1/configurations            list_configurations   ["<id>",...] (sorted)
//   GET /v1/configurations/targetId   target_id             ["<id>"]; 404 before the first target
//   GET /v1/configurations/target     get_configuration(target id)
//   GET /v1/configurations/<id>       get_configuration     the service spec as JSON
//                                                           (see service_spec_json.hpp); 404 unknown
// A stored configuration that no longer parses answers 500 with the parser's message: the SDK
// fails the same way when it cannot deserialise a stored spec. Ids are whatever the scheduler
// stored (the SDK's UUIDs, or another form): no 400 for a non-UUID id.
#pragma once

#include <string_view>

#include "scheduler/api/response.hpp"
#include "scheduler/state/state_store.hpp"

namespace ternmq::scheduler::api {

response list_configurations(const state::state_store& store);
response target_id(const state::state_store& store);
response get_configuration(const state::state_store& store, std::string_view id);
response get_target_configuration(const state::state_store& store);

}  // namespace ternmq::scheduler::api
