// From the JSON of an Edge-LB V2 pool (what `edge-lb/pool.json.mustache` renders to, or any pool
// file an operator writes) to a `pool` value that local mode can run through HAProxy.
//
// The reading is strict. Keys that only shape the pool's Marathon app on DC/OS (`namespace`,
// `role`, `cpus`, `mem`, `disk`, `constraints`, `ports`, `secrets`, `environmentVariables`,
// `autoCertificate`, `virtualNetworks`, `packageName`, the pool health-check knobs...) are accepted
// and dropped. Keys that change routing but that this module does not implement (`certificates`,
// `redirectToHttps`, `linkBackend.map`, `rewriteHttp`, `customCheck`, marathon selectors,
// endpoint `port`/`allPorts`/`address`/`check`, ID-based mesos selectors, apiVersion V1) are refused
// by name rather than silently ignored; unknown keys are errors. Defaults follow Edge-LB:
// `apiVersion` V2, `count` 1, `stats.bindPort` 9090, backend `balance` roundrobin, frontend `name`
// `frontend_<bindAddress>_<bindPort>` with `bindAddress` 0.0.0.0.
//
// Checks across fields: frontend and backend names are unique, every `defaultBackend` names a
// backend, the frontends' and the stats' bind ports differ, patterns are valid regular expressions
// (ECMAScript, see server_selection.hpp), and `miscStrs` and `balance` hold no line breaks (they
// are copied into haproxy.cfg as lines).
//
// Errors are values: `edgelb_errc::json_syntax` ("byte N: <parser message>") or
// `edgelb_errc::invalid_pool`, one problem per line, each naming the JSON path:
// `haproxy.frontends[1].bindPort: expected an integer 1..65535, got "x"`.
//
// Pure; thread-safe.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/base/result.hpp"
#include "scheduler/edgelb/pool.hpp"

namespace ternmq::scheduler::edgelb {

core::result<pool> parse_pool(std::string_view json_text);
// The same from an already parsed document.
core::result<pool> pool_from_json(const nlohmann::json& document);

}  // namespace ternmq::scheduler::edgelb
