// The local mode's single entry point: a real HAProxy run from the package's Edge-LB pool template
// (edge-lb/pool.json.mustache), as an operator would create the pool on DC/OS, with its backends
// kept in step with where the node tasks listen. The pool's bindPorts (1883, 8883, ...) can be
// remapped for a machine where they are taken, or for tests.
//
// Driven by the scheduler's event loop: `sync` after task changes, `poll` every tick.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/status.hpp"
#include "scheduler/edgelb/haproxy_config.hpp"
#include "scheduler/edgelb/haproxy_process.hpp"
#include "scheduler/edgelb/pool.hpp"
#include "scheduler/runtime/endpoint_report.hpp"
#include "scheduler/state/task_record.hpp"

namespace ternmq::scheduler::runtime {

struct entry_point_settings {
  std::filesystem::path template_path;  // edge-lb/pool.json.mustache
  std::filesystem::path directory;      // haproxy.cfg, its logs and pid file
  std::string address = "127.0.0.1";
  std::map<std::string, std::uint16_t> ports;  // frontend name (or "stats") -> port
};

class entry_point {
 public:
  explicit entry_point(entry_point_settings settings);

  // Renders the pool for the service's resolved options (again after an options change).
  core::status configure(const nlohmann::json& resolved_options, const std::string& service_name);
  // Writes the HAProxy configuration for the running tasks and applies it when it changed.
  core::status sync(const std::string& service_name, const std::vector<state::task_record>& tasks);
  void poll();
  void stop();  // blocks until HAProxy is gone (a few seconds at most)

  const std::string& pool_name() const { return pool_name_; }
  // Each frontend with the address it binds: what the endpoint report prints.
  std::vector<entry_point_listener> listeners() const;

 private:
  entry_point_settings settings_;
  std::optional<edgelb::pool> pool_;
  std::string pool_name_;
  edgelb::haproxy_settings haproxy_settings_;
  edgelb::haproxy_process haproxy_;
  std::string last_error_;
};

}  // namespace ternmq::scheduler::runtime
