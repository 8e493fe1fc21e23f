// A configuration as the scheduler takes it in: svc.yml rendered with an environment (the
// Marathon app's on DC/OS, the options file's in local mode), parsed, with its TASKCFG_* routing
// and its config templates read from next to svc.yml; and the stored form that rebuilds the same
// spec after a restart (state::stored_configuration). Reads files; otherwise pure.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/base/result.hpp"
#include "scheduler/model/service_spec.hpp"
#include "scheduler/state/state_store.hpp"

namespace ternmq::scheduler::runtime {

struct rendered_configuration {
  state::stored_configuration stored;
  model::service_spec spec;
};

// Errors say which step failed: "svc.yml: cannot read ...", "svc.yml template: line 3, ...",
// "rendered svc.yml: pods.node.count: ...", "pods.node.tasks.broker.configs.ternmq.template: ...".
core::result<rendered_configuration> render_configuration(const std::filesystem::path& svc_yml,
                                                          const std::map<std::string, std::string>& env);

}  // namespace ternmq::scheduler::runtime
