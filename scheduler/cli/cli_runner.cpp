// ternmq-cli's command layer: send, print, choose the exit code; `--watch` polling.
#include "scheduler/cli/cli_runner.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <variant>

#include <nlohmann/json.hpp>

#include "scheduler/cli/api_calls.hpp"
#include "scheduler/cli/cli_command.hpp"
#include "scheduler/cli/status_tree.hpp"

namespace ternmq::scheduler::cli {
namespace {

using nlohmann::json;

class runner {
 public:
  runner(const cli_environment& env, scheduler_url url) : env_(env), url_(std::move(url)) {}

  int run(const cli_command& cmd, const http_call& call) {
    switch (cmd.kind) {
      case command_kind::plan_status:
      case command_kind::update_status:
        return cmd.watch ? watch_plan(cmd, call) : show_plan(cmd, call);
      case command_kind::pod_status_all:
      case command_kind::pod_status:
        return show_pods(cmd, call);
      default:
        return show_answer(call);
    }
  }

 private:
  static bool is_success(int status) { return status >= 200 && status < 300; }
  // The codes of `GET /v1/plans/<plan>` that carry a PlanInfo: complete, in progress, errors.
  static bool is_plan_answer(int status) { return status == 200 || status == 202 || status == 417; }

  int unreachable(const core::error& e) {
    *env_.err << "ternmq-cli: " << e.message << "\n";
    return k_exit_unreachable;
  }

  int http_error(const http_call& call, const http_reply& reply) {
    *env_.err << "ternmq-cli: the scheduler answered " << reply.status << " to " << call.method << " " << call.target;
    if (!reply.body.empty()) *env_.err << ":\n" << reply.body << (reply.body.ends_with('\n') ? "" : "\n");
    else *env_.err << "\n";
    return k_exit_http_error;
  }

  void print_body(const std::string& body) {
    if (body.empty()) return;
    const json parsed = json::parse(body, nullptr, false);
    if (!parsed.is_discarded()) {
      *env_.out << parsed.dump(2) << "\n";
    } else {
      *env_.out << body << (body.ends_with('\n') ? "" : "\n");
    }
  }

  int show_answer(const http_call& call) {
    const auto reply = env_.send(url_, call);
    if (!reply) return unreachable(reply.err());
    if (!is_success(reply->status)) return http_error(call, *reply);
    print_body(reply->body);
    return k_exit_ok;
  }

  // The plan in `r` as text (tree or JSON), or an exit code when the answer is not a plan.
  std::variant<std::string, int> plan_text(const cli_command& cmd, const http_call& call, const http_reply& r,
                                           json& plan) {
    if (!is_plan_answer(r.status)) return http_error(call, r);
    plan = json::parse(r.body, nullptr, false);
    if (plan.is_discarded() || !plan.is_object()) {
      *env_.err << "ternmq-cli: the scheduler's answer to " << call.target << " is not a plan:\n" << r.body << "\n";
      return k_exit_http_error;
    }
    const std::string plan_name = cmd.kind == command_kind::update_status ? "deploy" : cmd.name;
    return cmd.json ? plan.dump(2) + "\n" : render_plan_tree(plan_name, plan);
  }

  static int plan_exit(const json& plan) { return plan.value("status", "") == "ERROR" ? k_exit_http_error : k_exit_ok; }

  int show_plan(const cli_command& cmd, const http_call& call) {
    const auto reply = env_.send(url_, call);
    if (!reply) return unreachable(reply.err());
    json plan;
    auto text = plan_text(cmd, call, *reply, plan);
    if (auto* code = std::get_if<int>(&text)) return *code;
    *env_.out << std::get<std::string>(text);
    return plan_exit(plan);
  }

  // Prints the plan whenever it changes until it is COMPLETE (0) or ERROR (1). A scheduler that
  // goes away after the first answer (restarting to apply an update) is waited for.
  int watch_plan(const cli_command& cmd, const http_call& call) {
    std::string last;
    bool lost = false;
    for (;; env_.sleep(k_watch_interval)) {
      const auto reply = env_.send(url_, call);
      if (!reply) {
        if (last.empty()) return unreachable(reply.err());
        if (!lost) *env_.err << "ternmq-cli: " << reply.err().message << "; waiting for the scheduler to come back\n";
        lost = true;
        continue;
      }
      lost = false;
      json plan;
      auto text = plan_text(cmd, call, *reply, plan);
      if (auto* code = std::get_if<int>(&text)) return *code;
      const std::string& now = std::get<std::string>(text);
      if (now != last) {
        *env_.out << (last.empty() ? "" : "\n") << now << std::flush;
        last = now;
      }
      const std::string status = plan.value("status", "");
      if (status == "COMPLETE" || status == "ERROR") return plan_exit(plan);
    }
  }

  int show_pods(const cli_command& cmd, const http_call& call) {
    if (cmd.json) return show_answer(call);
    const auto reply = env_.send(url_, call);
    if (!reply) return unreachable(reply.err());
    if (!is_success(reply->status)) return http_error(call, *reply);
    const json pods = json::parse(reply->body, nullptr, false);
    if (pods.is_discarded()) {
      print_body(reply->body);
      return k_exit_ok;
    }
    *env_.out << (cmd.kind == command_kind::pod_status ? render_pod_tree(pods) : render_pods_tree(pods));
    return k_exit_ok;
  }

  const cli_environment& env_;
  scheduler_url url_;
};

int usage_error(const cli_environment& env, const std::string& message) {
  *env.err << "ternmq-cli: " << message << "\nRun 'ternmq-cli --help' for usage.\n";
  return k_exit_usage;
}

}  // namespace

int run_cli(const std::vector<std::string>& args, const cli_environment& env) {
  const auto cmd = parse_command_line(args);
  if (!cmd) return usage_error(env, cmd.err().message);
  if (cmd->kind == command_kind::help) {
    *env.out << usage_text();
    return k_exit_ok;
  }
  const auto url = parse_scheduler_url(choose_scheduler_url(cmd->url, env.getenv(std::string(k_scheduler_url_env))));
  if (!url) return usage_error(env, url.err().message);

  std::string options;
  if (cmd->kind == command_kind::update_start) {
    auto text = env.read_file(cmd->options_file);
    if (!text) return usage_error(env, "cannot read the options file " + cmd->options_file + ": " + text.err().message);
    const json parsed = json::parse(*text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      return usage_error(env, "the options file " + cmd->options_file + " is not a JSON object");
    }
    options = parsed.dump();
  }
  runner r(env, *url);
  return r.run(*cmd, call_for(*cmd, options));
}

cli_environment system_environment(std::ostream& out, std::ostream& err) {
  cli_environment env;
  env.send = [](const scheduler_url& url, const http_call& call) { return send_http(url, call); };
  env.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value == nullptr ? std::nullopt : std::optional<std::string>(value);
  };
  env.read_file = [](const std::string& path) -> core::result<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::error{1, "cannot open it"};
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return core::error{1, "read error"};
    return text.str();
  };
  env.out = &out;
  env.err = &err;
  return env;
}

}  // namespace ternmq::scheduler::cli
