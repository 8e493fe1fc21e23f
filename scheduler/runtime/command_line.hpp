// The ternmq-scheduler command line. On DC/OS Marathon runs `ternmq-scheduler --spec svc.yml` with
// the package options in the environment; locally (`--local`) the options come from a file and
// everything the tests and the README's run command need is a flag, so it runs unattended:
//
//   ternmq-scheduler --spec svc.yml --local [--options FILE] [--state-dir DIR]
//                    [--api-address IP] [--api-port N] [--agents N] [--port-range A-B]
//                    [--ternmq-bin PATH] [--package-dir DIR] [--entry-port NAME=PORT]...
//                    [--entry-address IP] [--no-entry-point] [--stop-on-exit] [--uninstall]
//                    [--log-level LEVEL]
// Pure.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/base/result.hpp"
#include "scheduler/model/port_spec.hpp"

namespace ternmq::scheduler::runtime {

struct command_line {
  std::filesystem::path spec;                    // svc.yml (a Mustache template)
  bool local = false;                            // run tasks as local processes
  std::optional<std::filesystem::path> options;  // package options (JSON), local mode
  std::filesystem::path state_dir = ".ternmq-local";
  std::string api_address = "127.0.0.1";
  std::optional<std::uint16_t> api_port;         // default: $PORT_API, else 8080
  unsigned agents = 0;                           // 0: one per pod instance, at least 3
  model::port_range port_range{31000, 32000};    // a Mesos agent's default port resources
  std::filesystem::path ternmq_bin;              // default: `ternmq` next to the scheduler binary
  std::filesystem::path package_dir;             // config.json + universe/; default: svc.yml's directory
  bool entry_point = true;                       // HAProxy from edge-lb/pool.json.mustache
  std::string entry_address = "127.0.0.1";
  std::map<std::string, std::uint16_t> entry_ports;  // frontend name -> port (default: the pool's)
  bool stop_on_exit = false;  // SIGINT/SIGTERM also stop the tasks (kept otherwise, as on DC/OS)
  bool uninstall = false;     // kill every task, destroy the volumes, forget the state, exit
  std::string log_level = "info";
  bool help = false;
};

// Errors name the flag: "--port-range: expected BEGIN-END with BEGIN <= END, got \"x\"".
core::result<command_line> parse_command_line(int argc, const char* const* argv);
std::string usage();

}  // namespace ternmq::scheduler::runtime
