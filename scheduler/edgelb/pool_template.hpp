// Rendering `edge-lb/pool.json.mustache` into a `pool`, the way an operator does it for DC/OS
// (docs/dcos-service.md, "Edge-LB"; tests/package/package_util.py `render_pool`): the template sees
// the service's resolved package options plus a `pool` object of pool settings.
//
// The options are flattened into the renderer's dotted keys exactly as Cosmos hands them to
// marathon.json.mustache (`cosmos::template_context`): `listeners.mqtt_tls.enabled` = "true",
// strings JSON-escaped without their quotes (so a name with `"` or `\` cannot break the pool's
// JSON), numbers as Java prints them.
//
// Rendering is strict: a variable the context lacks is an error, as in the package tests, since
// an empty `bindPort` or framework name would only fail later, less clearly.
//
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/base/result.hpp"
#include "scheduler/edgelb/pool.hpp"
#include "scheduler/spec/mustache.hpp"

namespace ternmq::scheduler::edgelb {

// The `pool` object of the template context; the defaults are the documented ones.
struct pool_settings {
  std::string name = "ternmq-lb";  // pool.name
  int count = 1;                   // pool.count: HAProxy instances on DC/OS
  int stats_port = 9090;           // pool.stats_port
  std::string idle_timeout = "1h"; // pool.idle_timeout: HAProxy `timeout client` / `timeout server`
  friend bool operator==(const pool_settings&, const pool_settings&) = default;
};

// The flattened context: every leaf of `options` (the resolved options, nested as in config.json)
// under its dotted path, then `pool.name`, `pool.count`, `pool.stats_port` and `pool.idle_timeout`
// from `settings` (which win over any `pool` key of `options`).
spec::mustache_context pool_context(const nlohmann::json& options, const pool_settings& settings);

// Renders `template_text` with `context`. Errors (`edgelb_errc::template_error`) read
// "pool template: <renderer message>".
core::result<std::string> render_pool_json(std::string_view template_text, const spec::mustache_context& context);

// Renders, then parses the result (pool_parser.hpp); parse errors are prefixed "rendered pool: ".
core::result<pool> render_pool(std::string_view template_text, const spec::mustache_context& context);

}  // namespace ternmq::scheduler::edgelb
