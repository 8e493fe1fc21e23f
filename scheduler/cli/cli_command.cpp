// ternmq-cli's argument parser: options anywhere, then a table of commands and their shapes.
#include "scheduler/cli/cli_command.hpp"

#include <set>
#include <string_view>

#include "core/base/status.hpp"

namespace ternmq::scheduler::cli {
namespace {

core::error usage_error(std::string message) { return core::error{2, std::move(message)}; }

// The options of a command line, and its words.
struct split_args {
  std::vector<std::string> words;
  std::map<std::string, std::string> values;  // --url, --phase, --step, --options
  std::vector<std::string> parameters;        // each -p / --parameter
  std::set<std::string> flags;                // --json, --watch, --help
};

const std::set<std::string, std::less<>> k_value_options = {"--url", "--phase", "--step", "--options", "-p", "--parameter"};
const std::set<std::string, std::less<>> k_flag_options = {"--json", "--watch", "--replace", "--help", "-h"};

core::result<split_args> split(const std::vector<std::string>& args) {
  split_args out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--") {
      out.words.insert(out.words.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    if (!arg.starts_with("-") || arg == "-") {
      out.words.push_back(std::move(arg));
      continue;
    }
    std::string value;
    bool has_value = false;
    if (const std::size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
      has_value = true;
    }
    if (k_flag_options.contains(arg)) {
      if (has_value) return usage_error(arg + " takes no value");
      out.flags.insert(arg == "-h" ? "--help" : arg);
      continue;
    }
    if (!k_value_options.contains(arg)) return usage_error("unknown option " + arg);
    if (!has_value) {
      if (i + 1 >= args.size()) return usage_error(arg + " needs a value");
      value = args[++i];
    }
    if (arg == "-p" || arg == "--parameter") {
      out.parameters.push_back(std::move(value));
    } else {
      out.values[arg] = std::move(value);
    }
  }
  return out;
}

struct command_shape {
  command_kind kind;
  std::size_t min_words;  // after the command words
  std::size_t max_words;
  std::set<std::string> options;  // allowed besides --url, --json and --help
};

// The commands, keyed by their words.
const std::map<std::vector<std::string>, command_shape>& commands() {
  static const std::map<std::vector<std::string>, command_shape> table = {
      {{"endpoints"}, {command_kind::endpoints_list, 0, 1, {}}},
      {{"plan", "list"}, {command_kind::plan_list, 0, 0, {}}},
      {{"plan", "status"}, {command_kind::plan_status, 1, 1, {"--watch"}}},
      {{"plan", "show"}, {command_kind::plan_status, 1, 1, {"--watch"}}},
      {{"plan", "start"}, {command_kind::plan_start, 1, 1, {"-p"}}},
      {{"plan", "stop"}, {command_kind::plan_stop, 1, 1, {}}},
      {{"plan", "pause"}, {command_kind::plan_interrupt, 1, 2, {"--phase"}}},
      {{"plan", "interrupt"}, {command_kind::plan_interrupt, 1, 2, {"--phase"}}},
      {{"plan", "resume"}, {command_kind::plan_continue, 1, 2, {"--phase"}}},
      {{"plan", "continue"}, {command_kind::plan_continue, 1, 2, {"--phase"}}},
      {{"plan", "restart"}, {command_kind::plan_restart, 1, 3, {"--phase", "--step"}}},
      {{"plan", "force-restart"}, {command_kind::plan_restart, 1, 3, {"--phase", "--step"}}},
      {{"plan", "force-complete"}, {command_kind::plan_force_complete, 1, 3, {"--phase", "--step"}}},
      {{"pod", "list"}, {command_kind::pod_list, 0, 0, {}}},
      {{"pod", "status"}, {command_kind::pod_status_all, 0, 1, {}}},
      {{"pod", "info"}, {command_kind::pod_info, 1, 1, {}}},
      {{"pod", "restart"}, {command_kind::pod_restart, 1, 1, {}}},
      {{"pod", "replace"}, {command_kind::pod_replace, 1, 1, {}}},
      {{"update", "start"}, {command_kind::update_start, 0, 0, {"--options", "--replace"}}},
      {{"update", "status"}, {command_kind::update_status, 0, 0, {"--watch"}}},
      {{"state", "framework-id"}, {command_kind::state_framework_id, 0, 0, {}}},
      {{"state", "properties"}, {command_kind::state_properties, 0, 0, {}}},
      {{"state", "property"}, {command_kind::state_property, 1, 1, {}}},
      {{"config", "list"}, {command_kind::config_list, 0, 0, {}}},
      {{"config", "show"}, {command_kind::config_show, 1, 1, {}}},
      {{"config", "target"}, {command_kind::config_target, 0, 0, {}}},
      {{"config", "target-id"}, {command_kind::config_target_id, 0, 0, {}}},
  };
  return table;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

core::status check_options(const split_args& a, const command_shape& shape, const std::string& name) {
  for (const auto& [option, value] : a.values) {
    if (option != "--url" && !shape.options.contains(option)) return core::status::failure(name + " does not take " + option);
  }
  if (!a.parameters.empty() && !shape.options.contains("-p")) return core::status::failure(name + " does not take -p");
  for (const char* flag : {"--watch", "--replace"}) {
    if (a.flags.contains(flag) && !shape.options.contains(flag)) return core::status::failure(name + " does not take " + flag);
  }
  return core::status::success();
}

}  // namespace

core::result<cli_command> parse_command_line(const std::vector<std::string>& args) {
  auto split_result = split(args);
  if (!split_result) return split_result.err();
  const split_args& a = *split_result;

  cli_command cmd;
  if (const auto it = a.values.find("--url"); it != a.values.end()) cmd.url = it->second;
  cmd.json = a.flags.contains("--json");
  cmd.watch = a.flags.contains("--watch");
  cmd.replace = a.flags.contains("--replace");
  if (a.flags.contains("--help")) return cmd;  // kind help
  if (a.words.empty()) return usage_error("no command given");

  // One-word commands first ("endpoints"), then two-word ones ("plan list").
  const command_shape* shape = nullptr;
  std::size_t command_words = 0;
  for (std::size_t n = 1; n <= 2 && n <= a.words.size() && shape == nullptr; ++n) {
    const std::vector<std::string> key(a.words.begin(), a.words.begin() + static_cast<std::ptrdiff_t>(n));
    if (const auto it = commands().find(key); it != commands().end()) {
      shape = &it->second;
      command_words = n;
    }
  }
  if (shape == nullptr) return usage_error("unknown command \"" + joined(a.words) + "\"");
  const std::string name = joined({a.words.begin(), a.words.begin() + static_cast<std::ptrdiff_t>(command_words)});
  const std::vector<std::string> rest(a.words.begin() + static_cast<std::ptrdiff_t>(command_words), a.words.end());
  if (rest.size() < shape->min_words) return usage_error(name + ": missing argument");
  if (rest.size() > shape->max_words) return usage_error(name + ": unexpected argument \"" + rest.back() + "\"");
  if (auto ok = check_options(a, *shape, name); !ok) return usage_error(ok.message());

  cmd.kind = shape->kind;
  if (cmd.kind == command_kind::endpoints_list && rest.size() == 1) cmd.kind = command_kind::endpoint_show;
  if (cmd.kind == command_kind::pod_status_all && rest.size() == 1) cmd.kind = command_kind::pod_status;
  if (!rest.empty()) cmd.name = rest[0];
  // Phase and step: positional (the SDK CLI's form) or as options, not both.
  const auto phase_option = a.values.find("--phase");
  const auto step_option = a.values.find("--step");
  if (rest.size() > 1 && (phase_option != a.values.end() || step_option != a.values.end())) {
    return usage_error(name + ": give the phase and step either as arguments or as --phase/--step");
  }
  if (rest.size() > 1) cmd.phase = rest[1];
  if (rest.size() > 2) cmd.step = rest[2];
  if (phase_option != a.values.end()) cmd.phase = phase_option->second;
  if (step_option != a.values.end()) cmd.step = step_option->second;
  if (!cmd.step.empty() && cmd.phase.empty()) return usage_error(name + ": a step needs its phase (--phase)");

  for (const std::string& p : a.parameters) {
    const std::size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) return usage_error("-p expects KEY=VALUE, got \"" + p + "\"");
    cmd.parameters[p.substr(0, eq)] = p.substr(eq + 1);
  }
  if (cmd.kind == command_kind::update_start) {
    const auto it = a.values.find("--options");
    if (it == a.values.end() || it->second.empty()) return usage_error("update start: --options FILE is required");
    cmd.options_file = it->second;
  }
  return cmd;
}

std::string usage_text() {
  return R"(Usage: ternmq-cli [--url URL] [--json] <command>

Talks to the TernMQ scheduler's HTTP API (the DC/OS SDK's /v1 endpoints).
URL: --url, else $TERNMQ_SCHEDULER_URL, else http://127.0.0.1:8080.

Commands:
  endpoints [NAME]                      endpoint names, or how to reach one (address, dns, vip, srv)
  plan list                             plan names
  plan status|show PLAN [--watch]       a plan as a tree (--json: as JSON); --watch until done
  plan start PLAN [-p KEY=VALUE]...     start a plan with parameters
  plan stop PLAN                        interrupt and reset a plan
  plan pause|interrupt PLAN [PHASE]     pause a plan or one phase (also --phase PHASE)
  plan resume|continue PLAN [PHASE]     resume a plan or one phase
  plan restart PLAN [PHASE [STEP]]      restart a plan, phase or step (also --phase/--step)
  plan force-complete PLAN [PHASE [STEP]]
  pod list                              pod instance names
  pod status [POD]                      task states as a tree (--json: as JSON)
  pod info POD                          the pod's tasks (TaskInfo and TaskStatus)
  pod restart POD                       relaunch in place (same agent, ports and data)
  pod replace POD                       relaunch from scratch (new agent, empty volume)
  update start --options FILE [--replace]
                                        send new package options (a JSON file) to the scheduler;
                                        they amend the options in effect, or replace them
  update status [--watch]               the deploy plan, which rolls updates
  state framework-id | state properties | state property KEY
  config list | config show ID | config target | config target-id

Exit codes: 0 success, 1 the scheduler answered with an error (or the watched plan failed),
2 usage error, 3 cannot reach the scheduler.
)";
}

}  // namespace ternmq::scheduler::cli
