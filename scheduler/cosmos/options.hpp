// Package options as Cosmos resolves them on `dcos package install --options FILE` (and
// `update start --options FILE`): the defaults of config.json, with the user's options laid over
// them (user values win; objects are merged member by member, any other value replaces), validated
// against config.json. The result is what Cosmos renders the Marathon app with and returns as
// `resolvedOptions` from `/cosmos/service/describe`.
//
// Pure; thread-safe.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/result.hpp"
#include "scheduler/cosmos/schema_validation.hpp"

namespace ternmq::scheduler::cosmos {

// Cosmos's extractDefaultsFromSchema: an object holding every property's `default`, with an object
// for every property that is an object with `properties` (even when none of its members has one).
nlohmann::json schema_defaults(const nlohmann::json& schema);

// `overrides` laid over `base`: where both are objects, member by member, recursively; otherwise
// `overrides`. Also how `update start` without `--replace` merges new options onto stored ones.
nlohmann::json merge_options(const nlohmann::json& base, const nlohmann::json& overrides);

// `validate_against_schema(schema, merge_options(schema_defaults(schema), user))`.
std::vector<option_error> validate_options(const nlohmann::json& schema, const nlohmann::json& user);

// The resolved options. `user` must be an object (null counts as no options). Errors
// (`cosmos_errc::invalid_options`) list every problem, one per line:
//   "invalid options:\n/node/count: 0 is less than the minimum 1\n/node/cuont: unknown option"
core::result<nlohmann::json> resolve_options(const nlohmann::json& schema, const nlohmann::json& user);

}  // namespace ternmq::scheduler::cosmos
