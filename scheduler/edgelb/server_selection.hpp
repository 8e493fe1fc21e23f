// Which running tasks a pool backend balances to: Edge-LB's service selection, done over the task
// endpoints the scheduler knows instead of the Mesos state Edge-LB polls.
//
// A task endpoint is selected by a backend's service when its framework name equals
// `frameworkName` (or matches `frameworkNamePattern`), its task name equals `taskName` (or matches
// `taskNamePattern`; neither set selects every task of the framework), and it has a port named
// `endpoint.portName`. A task without that port is skipped, as Edge-LB skips it: it is not an
// error, the task may simply not have that listener.
//
// Patterns are matched against the whole name (`std::regex_match`, ECMAScript grammar). Edge-LB
// is written in Go and uses RE2 syntax; the differences that matter for names:
// - anchoring: whether Edge-LB anchors its match is not documented; the pools in this repository
//   anchor their patterns themselves (`^node-[0-9]+-broker$`), which behaves the same either way.
//   A pattern written as a substring (`broker`) selects nothing here;
// - ECMAScript accepts backreferences and lookahead, which RE2 refuses;
// - RE2's `(?i)` flags, `(?P<name>...)` groups, `\pL` classes and `\z` are refused here
//   (pool_parser reports them as invalid patterns).
//
// Servers are named after the task (`node-0-broker`), with characters HAProxy does not allow in a
// name replaced by `_`; the same task reached twice in one backend (two services, or two
// frameworks with the same task name) gets `-2`, `-3`... in a stable order. The list is sorted, so
// the same tasks always give the same servers in the same order, whatever order the caller's list
// is in, and an unchanged cluster gives an unchanged haproxy.cfg (no reload).
//
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "scheduler/edgelb/pool.hpp"

namespace ternmq::scheduler::edgelb {

struct socket_address {
  std::string ip;  // IPv4 dotted quad, or IPv6 without brackets
  std::uint16_t port = 0;
  friend auto operator<=>(const socket_address&, const socket_address&) = default;
};

// A running task and where its named ports listen.
struct task_endpoint {
  std::string framework_name;
  std::string task_name;                        // `node-0-broker`
  std::map<std::string, socket_address> ports;  // port name (`mqtt`) -> address
  friend bool operator==(const task_endpoint&, const task_endpoint&) = default;
};

struct backend_server {
  std::string name;  // unique in its backend
  socket_address address;
  friend bool operator==(const backend_server&, const backend_server&) = default;
};

// The servers of `backend` among `tasks`, sorted by name. Fails only on a pattern that is not a
// valid regular expression (pool_parser refuses those, so not for a parsed pool).
core::result<std::vector<backend_server>> select_servers(const pool_backend& backend,
                                                         std::span<const task_endpoint> tasks);

// `name` with every character other than letters, digits, `-`, `_`, `.` and `:` replaced by `_`.
std::string haproxy_name(std::string_view name);

}  // namespace ternmq::scheduler::edgelb
