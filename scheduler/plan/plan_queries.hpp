// The logic behind the SDK's `/v1/plans` endpoints (SDK `PlansQueries`), answered from a
// `plan_manager` as status codes and bodies; the HTTP layer only routes and sends. Pure; not
// thread-safe (run on the scheduler's event loop, like every other use of the plans).
//
//   GET  /v1/plans                        list_plans       200 ["deploy","recovery",...]
//   GET  /v1/plans/<plan>                 get_plan         200 COMPLETE, 202 in progress, 417 ERROR
//   POST /v1/plans/<plan>/start           start_plan       restart if COMPLETE, then continue
//   POST /v1/plans/<plan>/stop            stop_plan        interrupt + restart
//   POST /v1/plans/<plan>/continue        continue_plan    [?phase=]; 208 if nothing to do
//   POST /v1/plans/<plan>/interrupt       interrupt_plan   [?phase=]; 208 if nothing to do
//   POST /v1/plans/<plan>/forceComplete   force_complete   [?phase=[&step=]]; 208 if COMPLETE
//   POST /v1/plans/<plan>/restart         restart          [?phase=[&step=]]; 208 if PENDING
// Unknown plan, phase or step: 404 "<Kind> <name> not found"; a step without a phase: 400.
// Phases and steps are named by id or by name. An empty `phase`/`step` argument means the query
// parameter was absent.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "scheduler/plan/plan.hpp"
#include "scheduler/plan/plan_manager.hpp"

namespace ternmq::scheduler::plans {

// One HTTP answer: a JSON body (sent pretty-printed with a 2-space indent, as the SDK does) or a
// plain-text one.
struct response {
  int code = 200;
  bool is_json = true;
  nlohmann::json json;  // the body when `is_json`
  std::string text;     // the body otherwise
};

// 417 when the plan's status is ERROR, 200 when COMPLETE, 202 otherwise (in progress, waiting,
// delayed, pending): the code of `GET /v1/plans/<plan>`, which Cosmos and the CLI poll.
int http_code_for(const plan& p);

response list_plans(const plan_manager& plans);
response get_plan(const plan_manager& plans, std::string_view name);
// 400 when a parameter name is not `[A-Za-z_][A-Za-z0-9_]*`. The parameters replace the plan's.
response start_plan(plan_manager& plans, std::string_view name, const std::map<std::string, std::string>& parameters);
response stop_plan(plan_manager& plans, std::string_view name);
response continue_plan(plan_manager& plans, std::string_view name, std::string_view phase = {});
response interrupt_plan(plan_manager& plans, std::string_view name, std::string_view phase = {});
response force_complete(plan_manager& plans, std::string_view name, std::string_view phase = {},
                        std::string_view step = {});
response restart(plan_manager& plans, std::string_view name, std::string_view phase = {}, std::string_view step = {});

}  // namespace ternmq::scheduler::plans
