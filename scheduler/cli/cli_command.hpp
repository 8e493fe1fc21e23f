// The command line of `ternmq-cli`, parsed into a value before anything is sent: the `dcos
// <service> ...` commands of the SDK's dcos-service-cli that talk to the scheduler's API.
//
//   ternmq-cli [--url URL] [--json] <command>
//     endpoints [NAME]
//     plan list
//     plan status|show PLAN [--json] [--watch]
//     plan start PLAN [-p KEY=VALUE]...
//     plan stop PLAN
//     plan pause|interrupt PLAN [PHASE | --phase PHASE]
//     plan resume|continue PLAN [PHASE | --phase PHASE]
//     plan restart|force-restart PLAN [PHASE [STEP]] [--phase PHASE [--step STEP]]
//     plan force-complete PLAN [PHASE [STEP]] [--phase PHASE [--step STEP]]
//     pod list | pod status [POD] [--json] | pod info POD | pod restart POD | pod replace POD
//     update start --options FILE
//     update status [--json] [--watch]
//     state framework-id | state properties | state property KEY
//     config list | config show ID | config target | config target-id
// Options may appear anywhere after the program name, as `--name VALUE` or `--name=VALUE`. Pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.hpp"

namespace ternmq::scheduler::cli {

enum class command_kind {
  help,
  endpoints_list,
  endpoint_show,
  plan_list,
  plan_status,
  plan_start,
  plan_stop,
  plan_interrupt,
  plan_continue,
  plan_restart,
  plan_force_complete,
  pod_list,
  pod_status_all,
  pod_status,
  pod_info,
  pod_restart,
  pod_replace,
  update_start,
  update_status,
  state_framework_id,
  state_properties,
  state_property,
  config_list,
  config_show,
  config_target,
  config_target_id,
};

struct cli_command {
  command_kind kind = command_kind::help;
  std::optional<std::string> url;  // --url; unset: environment, then the default
  bool json = false;               // --json: raw JSON instead of a status tree
  bool watch = false;              // --watch: poll a plan until it completes or fails
  std::string name;                // plan, pod, endpoint, configuration id or property key
  std::string phase;               // empty: not given
  std::string step;
  std::map<std::string, std::string> parameters;  // plan start -p K=V
  std::string options_file;                        // update start --options
  bool replace = false;  // update start --replace: the file replaces the options in effect instead of amending them
  friend bool operator==(const cli_command&, const cli_command&) = default;
};

// `args` without the program name. Errors are usage errors, with a message for the user.
core::result<cli_command> parse_command_line(const std::vector<std::string>& args);

std::string usage_text();

}  // namespace ternmq::scheduler::cli
