// An Edge-LB pool (apiVersion V2) as values: the part of the pool that decides how HAProxy is set up
// (frontends, backends and their service selectors, the stats port), read from the JSON that
// `edge-lb/pool.json.mustache` renders to (see pool_parser.hpp). The fields that only shape the
// pool's own Marathon app on DC/OS (cpus, mem, constraints, secrets...) are not kept: in local mode
// there is one HAProxy on this host.
//
// Names follow the V2 reference (docs: edge-lb pool-configuration/v2-reference), in snake_case:
// `bindPort` is `bind_port`, `linkBackend.defaultBackend` is `default_backend`.
//
// Plain values; copy freely.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ternmq::scheduler::edgelb {

// A frontend's or backend's `protocol`. Only `tcp` can be run here (see haproxy_config.hpp); the
// others are kept so that the refusal can name them.
enum class pool_protocol { tcp, http, https, tls };

// "TCP", "HTTP", "HTTPS", "TLS", as the pool spells them.
constexpr std::string_view to_string(pool_protocol p) {
  switch (p) {
    case pool_protocol::tcp: return "TCP";
    case pool_protocol::http: return "HTTP";
    case pool_protocol::https: return "HTTPS";
    case pool_protocol::tls: return "TLS";
  }
  return "?";
}

struct pool_frontend {
  std::string name;          // `name`, or Edge-LB's default `frontend_<bindAddress>_<bindPort>`
  std::string bind_address;  // `bindAddress` (default 0.0.0.0); local mode binds by its own plan
  std::uint16_t bind_port = 0;
  pool_protocol protocol = pool_protocol::tcp;
  std::vector<std::string> misc_strs;  // raw HAProxy lines for the frontend section
  std::string default_backend;         // `linkBackend.defaultBackend`: names a backend of the pool
  friend bool operator==(const pool_frontend&, const pool_frontend&) = default;
};

// `services[].mesos`: which Mesos tasks a backend balances to. A framework is chosen by exact name
// or by pattern (one of the two is set); tasks by exact name, by pattern, or all of the framework's
// tasks when both are empty. Patterns are regular expressions matched against the whole name (see
// server_selection.hpp).
struct mesos_selector {
  std::string framework_name;
  std::string framework_name_pattern;
  std::string task_name;
  std::string task_name_pattern;
  friend bool operator==(const mesos_selector&, const mesos_selector&) = default;
};

struct pool_service {
  mesos_selector mesos;
  std::string port_name;  // `endpoint.portName`: the task's DiscoveryInfo port name (`mqtt`)
  friend bool operator==(const pool_service&, const pool_service&) = default;
};

struct pool_backend {
  std::string name;
  pool_protocol protocol = pool_protocol::tcp;
  std::string balance = "roundrobin";  // HAProxy's `balance` algorithm; Edge-LB's default
  std::vector<std::string> misc_strs;  // raw HAProxy lines for the backend section
  std::vector<pool_service> services;
  friend bool operator==(const pool_backend&, const pool_backend&) = default;
};

struct pool_stats {
  std::uint16_t bind_port = 9090;  // Edge-LB's default
  friend bool operator==(const pool_stats&, const pool_stats&) = default;
};

struct pool {
  std::string name;
  int count = 1;  // HAProxy instances on DC/OS; local mode runs one whatever it says
  pool_stats stats;
  std::vector<pool_frontend> frontends;
  std::vector<pool_backend> backends;
  friend bool operator==(const pool&, const pool&) = default;
};

}  // namespace ternmq::scheduler::edgelb
