// `GET /v1/health[?verbose=true]`: the service's health as a status code (the SDK's
// `HealthResource`), from the plans the SDK monitors (`deploy` and `recovery`) and the tasks' last
// health check results. The body is `{"value":<code>}`, plus `"reasons":[...]` when verbose: one
// line per rule below saying whether it applies. Pure; run on the scheduler's event loop.
//
// Rules, first match wins (the SDK's priorities; codes of the DC/OS reference, section 5):
//   503  a monitored plan has errors (e.g. a rejected configuration update on `deploy`)
//   318  initializing: there is no `deploy` plan yet
//   deploy not COMPLETE:
//     207  waiting for user input: the plan is interrupted or a canary waits for `continue`
//     208  delayed: launch backoff holds the plan
//     204  deploying, awaiting resources: a step is PENDING or PREPARED
//     202  deploying, starting: steps are STARTING or STARTED (or otherwise under way)
//   recovery not COMPLETE: 207 and 208 as for deploy, then 203 (awaiting resources: a step
//     PENDING or PREPARED) or 205 (starting)
//   206  degraded: a RUNNING task's last health check failed (it is not yet failed for good)
//   321  a plan whose name contains "restore" is running;  320  one containing "backup" is
//   200  running: deploy and recovery COMPLETE, every health check passing
// Marathon's MESOS_HTTP check counts 200-399 as healthy, so only 503 marks the scheduler unhealthy.
// HTTP forbids a body with 204, so that one code goes out with an empty body (see `to_http`).
#pragma once

#include <string>
#include <vector>

#include "scheduler/api/response.hpp"
#include "scheduler/plan/plan_manager.hpp"
#include "scheduler/state/task_record.hpp"

namespace ternmq::scheduler::api {

struct health_report {
  int code = 200;
  std::vector<std::string> reasons;  // one per rule, in rule order
};

health_report evaluate_health(const plans::plan_manager& plans, const std::vector<state::task_record>& tasks);

// The answer: status `code`, body {"value": code} (+ "reasons" when `verbose`).
response health(const plans::plan_manager& plans, const std::vector<state::task_record>& tasks, bool verbose);

}  // namespace ternmq::scheduler::api
