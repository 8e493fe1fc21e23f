// The last step of a Cosmos install or update: render the package's marathon.json.mustache with the
// resolved options and resource.json (see template_context.hpp), parse it as the Marathon app, and
// take the app's `env`, which is all the scheduler learns of the options. The scheduler's local mode
// and `ternmq-cli update start --options FILE` run this instead of Cosmos and Marathon.
//
// Rendering is Cosmos's: no HTML escaping (Cosmos turns mustache.java's off; the JSON escaping of
// string values is what keeps the app valid), and a name the context lacks renders as "" unless the
// render options say `missing_variable_policy::fail`.
//
// Env values: strings as they are; numbers and booleans as their JSON text; a Marathon secret
// reference (`"DCOS_SERVICE_ACCOUNT_CREDENTIAL": {"secret": "serviceCredential"}`) is not a value
// Marathon puts in the environment as written, so it goes to `secret_env` with the secret's store
// path (from the app's `secrets`), and whoever starts the scheduler decides what to do with it.
//
// Pure apart from `load_package`; thread-safe.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/base/result.hpp"
#include "scheduler/cosmos/package_files.hpp"
#include "scheduler/spec/mustache.hpp"

namespace ternmq::scheduler::cosmos {

// What an install with a set of options gives the scheduler.
struct scheduler_environment {
  nlohmann::json options;                         // the resolved options (defaults + user, validated)
  nlohmann::json app;                             // the rendered Marathon app
  std::map<std::string, std::string> env;         // the app's `env`, secret references left out
  std::map<std::string, std::string> secret_env;  // env name -> secret store path
};

// How Cosmos renders: no escaping, missing names render empty.
inline spec::render_options cosmos_render_options() {
  return {spec::escaping::none, spec::missing_variable_policy::render_empty};
}

// The Marathon app for already resolved options. Errors: `cosmos_errc::template_error` (with the
// renderer's message), `cosmos_errc::invalid_app` ("rendered marathon.json.mustache is not valid JSON:
// ..." or "... is not a JSON object").
core::result<nlohmann::json> render_marathon_app(const package_files& files, const nlohmann::json& resolved_options,
                                                 const spec::render_options& options = cosmos_render_options());

// `env` and `secret_env` of a rendered app. Errors (`cosmos_errc::invalid_app`): no `env` object, or a
// secret reference to a secret the app's `secrets` does not define.
core::result<scheduler_environment> app_environment(const nlohmann::json& app);

// Resolves `user_options` (see options.hpp), renders the app and takes its environment.
core::result<scheduler_environment> render_package(const package_files& files, const nlohmann::json& user_options,
                                                   const spec::render_options& options = cosmos_render_options());

// `render_package(files, user_options)->env`: the scheduler's environment from an options file.
core::result<std::map<std::string, std::string>> marathon_env(const package_files& files,
                                                              const nlohmann::json& user_options);

}  // namespace ternmq::scheduler::cosmos
