// ternmq-cli: the operator's client for the TernMQ scheduler's HTTP API, the equivalent of
// `dcos ternmq ...` (the SDK's dcos-service-cli) for a scheduler reached directly. See
// cli_command.hpp for the commands and cli_runner.hpp for the exit codes.
#include <iostream>
#include <string>
#include <vector>

#include "scheduler/cli/cli_runner.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return ternmq::scheduler::cli::run_cli(args, ternmq::scheduler::cli::system_environment(std::cout, std::cerr));
}
