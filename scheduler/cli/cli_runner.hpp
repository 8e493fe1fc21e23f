// The command layer of `ternmq-cli`: parses the command line, sends the request through an
// injected transport, prints the answer (pretty JSON, or a status tree) and chooses the exit code.
// Everything that touches the world (HTTP, sleeping, the environment, files, the terminal) comes in
// through `cli_environment`, so tests drive whole commands, `--watch` included, with scripted
// answers and no sockets or waiting. Not thread-safe; one run at a time per environment.
//
// Exit codes: 0 success; 1 the scheduler answered with an HTTP error (status and body on stderr),
// or the shown or watched plan has errors; 2 usage error (bad arguments, unreadable options file);
// 3 the scheduler cannot be reached (the message names the URL).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/base/result.hpp"
#include "scheduler/cli/http_client.hpp"
#include "scheduler/cli/scheduler_url.hpp"

namespace ternmq::scheduler::cli {

enum exit_code : int { k_exit_ok = 0, k_exit_http_error = 1, k_exit_usage = 2, k_exit_unreachable = 3 };

// How often `--watch` polls the plan.
inline constexpr std::chrono::milliseconds k_watch_interval{500};

struct cli_environment {
  std::function<core::result<http_reply>(const scheduler_url&, const http_call&)> send;
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<std::optional<std::string>(const std::string& name)> getenv;
  std::function<core::result<std::string>(const std::string& path)> read_file;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
};

// `args` without the program name.
int run_cli(const std::vector<std::string>& args, const cli_environment& env);

// The real world: `send_http`, `std::this_thread::sleep_for`, `std::getenv`, files read whole.
cli_environment system_environment(std::ostream& out, std::ostream& err);

}  // namespace ternmq::scheduler::cli
