// haproxy.cfg for one Edge-LB pool in local mode: the sections Edge-LB renders for the pool
// (docs/dcos-service.md and the reference's "HAProxy mapping"), with the servers taken from the
// task endpoints the scheduler knows and every listener bound where local mode says.
//
// The text has, in order:
// - `global`: `maxconn` (Edge-LB's template allows 10,000 connections per instance, and local mode
//   should behave like one instance; lower it with `fitting_maxconn` when the host's file limit
//   cannot hold that many), and, when `admin_socket` is set, an admin socket with
//   `expose-fd listeners` so that a reload can take over the listening sockets (haproxy_process.hpp).
//   No `daemon`: HAProxy runs in the foreground as the scheduler's child;
// - `defaults`: `mode tcp`, `timeout connect`, and `timeout client`/`timeout server` fallbacks that
//   the pool's `miscStrs` override per section (the TernMQ pool raises both to its idle timeout);
// - one `frontend` per pool frontend, in pool order: `bind`, `mode tcp`, its `miscStrs`,
//   `default_backend`;
// - one `backend` per pool backend: `mode tcp`, `balance`, its `miscStrs`, one `server` line per
//   selected endpoint (server_selection.hpp) with a TCP check every second, down after 2 failures
//   and up after 1 success (`check inter 1s fall 2 rise 1`): a stopped node leaves the rotation
//   within about 2 s and new clients go to live nodes, which is what lets a rolling restart keep
//   clients connecting. A backend with no endpoints yet has no servers; HAProxy accepts it and
//   refuses its connections until a reload adds some;
// - `listen stats`: HTTP statistics at `/` and Edge-LB's health URI `/_haproxy_health_check`.
//
// Binding: Edge-LB binds each frontend at its `bindPort` (1883, 8883...) and the stats at 9090 on
// every address. Local mode shares the host with other things, so `bind_plan` can put any
// frontend (by name) and the stats listener on another address and port; the rest are bound at
// their pool port on `default_host`. The pool's own `bindAddress` is not used.
//
// Errors are values: `edgelb_errc::invalid_pool` for a pool local mode cannot run (a protocol
// other than TCP, a section name HAProxy refuses, `stats` as a section name) and
// `edgelb_errc::invalid_settings` for settings that do not fit it: a bind plan naming a frontend the
// pool lacks, port 0, a host that is not an IP address, two listeners on one address (the same
// port on one host, or on a wildcard host and any other), or a task endpoint without an address.
//
// Pure; thread-safe. The output depends only on the arguments (servers sorted), so equal inputs
// give byte-identical text, which haproxy_process uses to skip needless reloads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "core/base/result.hpp"
#include "scheduler/edgelb/pool.hpp"
#include "scheduler/edgelb/server_selection.hpp"

namespace ternmq::scheduler::edgelb {

struct bind_address {
  std::string host;  // an IPv4 or IPv6 address (IPv6 without brackets); "0.0.0.0" for every IPv4 one
  std::uint16_t port = 0;
  friend bool operator==(const bind_address&, const bind_address&) = default;
};

struct bind_plan {
  std::string default_host = "0.0.0.0";              // where unmapped frontends and stats bind
  std::map<std::string, bind_address> frontends;     // frontend name -> where it binds instead
  std::optional<bind_address> stats;                 // instead of default_host:<stats bindPort>
  friend bool operator==(const bind_plan&, const bind_plan&) = default;
};

// Edge-LB's default ceiling of concurrent connections per pool instance.
inline constexpr int k_edgelb_maxconn = 10000;

struct haproxy_settings {
  bind_plan binds;
  int maxconn = k_edgelb_maxconn;
  std::string connect_timeout = "5s";
  std::string admin_socket;  // path of the admin socket; empty for none
};

core::result<std::string> haproxy_config(const pool& p, std::span<const task_endpoint> tasks,
                                         const haproxy_settings& settings);

}  // namespace ternmq::scheduler::edgelb
