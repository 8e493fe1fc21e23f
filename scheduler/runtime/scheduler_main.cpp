// ternmq-scheduler: the TernMQ DC/OS service's scheduler. See command_line.hpp for the flags and
// docs/dcos-service.md for what it does.
#include <iostream>

#include "core/base/log.hpp"
#include "scheduler/runtime/command_line.hpp"
#include "scheduler/runtime/local_service.hpp"

int main(int argc, char** argv) {
  using namespace ternmq::scheduler::runtime;
  auto cl = parse_command_line(argc, argv);
  if (!cl) {
    std::cerr << "ternmq-scheduler: " << cl.err().message << "\n" << usage();
    return 2;
  }
  if (cl->help) {
    std::cout << usage();
    return 0;
  }
  core::log::level level = core::log::level::info;
  if (!core::log::parse_level(cl->log_level, level)) {
    std::cerr << "ternmq-scheduler: --log-level: expected debug, info, warning or error, got \"" << cl->log_level << "\"\n";
    return 2;
  }
  core::log::set_level(level);
  if (!cl->local) {
    // The Mesos backend (v1 scheduler API against the master) is the next piece of work; until it
    // lands, say so plainly instead of pretending to register.
    std::cerr << "ternmq-scheduler: only --local is available in this build; the Mesos backend is not built yet\n";
    return 2;
  }
  return run_local_service(*cl);
}
