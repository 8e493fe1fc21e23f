// From svc.yml to a validated `model::service_spec`, the way dcos-commons builds its ServiceSpec:
// render the template against the scheduler's environment (Mustache, see mustache.hpp), parse the
// YAML (yaml-cpp), map it strictly onto the model, then route `TASKCFG_*` variables into the
// tasks' environment (see task_env.hpp).
//
// The mapping accepts the dcos-commons svc.yml syntax (yaml-reference.md): every key dcos-commons
// reads is known; a few it reads that this scheduler cannot honour (`external-volumes`, `seccomp-*`,
// `ipc-mode`, `shm-size`, legacy `container` and pod `strategy`) are refused by name. Defaults follow
// dcos-commons: pod `count` 1, strategies `serial`, task `goal` RUNNING and `essential` true, volume
// `type` ROOT, port `port` 0 (dynamic), `scheduler.user` root, `scheduler.principal`
// `<name>-principal`, `scheduler.role` `<name>-role` (name escaped, see
// `model::escaped_service_name`), `scheduler.zookeeper` master.mesos:2181. A null value (`key:` or
// `key: ~`, what an unset template variable usually leaves) counts as absent.
//
// Errors are values. A spec error (`spec_errc::invalid_spec`) lists every problem found, one per
// line, each naming the YAML path and, when yaml-cpp gives it, the line and column in the parsed
// text: `pods.node.tasks.broker.cpus: expected a number, got "abc" (line 12, column 14)`. Unknown
// keys are errors, with a suggestion for near misses.
//
// Pure: no I/O, no environment access (both are the caller's); thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "core/base/result.hpp"
#include "core/base/status.hpp"
#include "scheduler/model/service_spec.hpp"
#include "scheduler/spec/mustache.hpp"

namespace ternmq::scheduler::spec {

// Parses rendered svc.yml text. Lines and columns in errors refer to `yaml_text`.
// Errors: `spec_errc::yaml_syntax` ("line L, column C: <yaml-cpp message>") or
// `spec_errc::invalid_spec`.
core::result<model::service_spec> parse_service_spec(std::string_view yaml_text);

// Renders `template_text` with `env`, parses the result, and routes `TASKCFG_*` variables of `env`
// into the tasks' environment. Template errors are prefixed "svc.yml template: "; YAML and spec
// errors "rendered svc.yml: " on each line, since their lines count in the rendered text.
core::result<model::service_spec> render_service_spec(std::string_view template_text,
                                                      const std::map<std::string, std::string>& env,
                                                      const render_options& options = {});

// Reads a config template's text given the path written in svc.yml (`configs.C.template`).
using template_reader = std::function<core::result<std::string>(const std::string& path)>;

// Fills `template_content` of every task config through `read`, so that editing a template
// changes the spec and rolls the pods that use it (as dcos-commons stores template contents in the
// ServiceSpec). The first failure is returned as "PATH.template: cannot read "FILE": REASON".
core::status load_config_templates(model::service_spec& spec, const template_reader& read);

}  // namespace ternmq::scheduler::spec
