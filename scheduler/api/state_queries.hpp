// The logic behind the SDK's `/v1/state` endpoints (SDK `StateQueries`) that apply to this
// scheduler: the framework id and the free-form properties. Pure; run on the scheduler's event loop.
//
//   GET /v1/state/frameworkId        framework_id    ["<framework id>"]; 404 before registration
//   GET /v1/state/properties         property_keys   ["last-completed-update-type",...] (sorted)
//   GET /v1/state/properties/<key>   property        the stored value as text/plain (the SDK's
//                                                    string deserialiser); 404 unknown key
#pragma once

#include <string_view>

#include "scheduler/api/response.hpp"
#include "scheduler/state/state_store.hpp"

namespace ternmq::scheduler::api {

response framework_id(const state::state_store& store);
response property_keys(const state::state_store& store);
response property(const state::state_store& store, std::string_view key);

}  // namespace ternmq::scheduler::api
