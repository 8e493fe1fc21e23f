// `ternmq-scheduler --local`: the whole service on this machine. The scheduler engine over the
// local backend (node tasks as processes in per-task sandboxes under the state directory), the
// SDK's HTTP API plus `POST /v1/update/start` (what `dcos ternmq update start --options` reaches
// through Cosmos on DC/OS), the HAProxy entry point from the Edge-LB pool template, and the
// progress and endpoint report on stdout. One thread: the io_context runs the API, the ticks and
// the signals.
#pragma once

#include "scheduler/runtime/command_line.hpp"

namespace ternmq::scheduler::runtime {

// Runs until SIGINT/SIGTERM; returns the process exit code (2 for a start-up error, reported on
// stderr). With `--uninstall`, stops everything, removes the state directory and returns.
int run_local_service(const command_line& cl);

}  // namespace ternmq::scheduler::runtime
