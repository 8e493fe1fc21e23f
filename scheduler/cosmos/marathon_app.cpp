#include "scheduler/cosmos/marathon_app.hpp"

#include "scheduler/cosmos/cosmos_errc.hpp"
#include "scheduler/cosmos/options.hpp"
#include "scheduler/cosmos/template_context.hpp"

namespace ternmq::scheduler::cosmos {
namespace {

core::error invalid_app(const std::string& message) { return make_error(cosmos_errc::invalid_app, message); }

// `{"secret": "<name>"}`, Marathon's way to put a secret into an env variable.
const nlohmann::json* secret_reference(const nlohmann::json& value) {
  if (!value.is_object() || value.size() != 1) return nullptr;
  const auto it = value.find("secret");
  return it != value.end() && it->is_string() ? &*it : nullptr;
}

// `secrets.<name>.source` of the app: the secret's path in the store.
const nlohmann::json* secret_source(const nlohmann::json& app, const std::string& name) {
  const auto secrets = app.find("secrets");
  if (secrets == app.end() || !secrets->is_object()) return nullptr;
  const auto secret = secrets->find(name);
  if (secret == secrets->end() || !secret->is_object()) return nullptr;
  const auto source = secret->find("source");
  return source != secret->end() && source->is_string() ? &*source : nullptr;
}

}  // namespace

core::result<nlohmann::json> render_marathon_app(const package_files& files, const nlohmann::json& resolved_options,
                                                 const spec::render_options& options) {
  auto text = spec::render_mustache(files.marathon_template, template_context(resolved_options, files.resource), options);
  if (!text) return make_error(cosmos_errc::template_error, "marathon.json.mustache: " + text.err().message);
  nlohmann::json app;
  try {
    app = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    return invalid_app(std::string("rendered marathon.json.mustache is not valid JSON: ") + e.what());
  }
  if (!app.is_object()) return invalid_app("rendered marathon.json.mustache is not a JSON object");
  return app;
}

core::result<scheduler_environment> app_environment(const nlohmann::json& app) {
  const auto env = app.find("env");
  if (env == app.end() || !env->is_object()) return invalid_app("the Marathon app has no env object");
  scheduler_environment out;
  out.app = app;
  for (const auto& [name, value] : env->items()) {
    if (value.is_string()) {
      out.env[name] = value.get<std::string>();
    } else if (const auto* secret = secret_reference(value)) {
      const auto& secret_name = secret->get_ref<const std::string&>();
      const auto* source = secret_source(app, secret_name);
      if (!source) {
        return invalid_app("env " + name + " refers to secret " + secret_name + ", which the app's secrets do not define");
      }
      out.secret_env[name] = source->get<std::string>();
    } else if (value.is_null()) {
      out.env[name] = "";
    } else {
      out.env[name] = value.dump();  // 3, 0.5, true
    }
  }
  return out;
}

core::result<scheduler_environment> render_package(const package_files& files, const nlohmann::json& user_options,
                                                   const spec::render_options& options) {
  auto resolved = resolve_options(files.config, user_options);
  if (!resolved) return resolved.err();
  auto app = render_marathon_app(files, *resolved, options);
  if (!app) return app.err();
  auto out = app_environment(*app);
  if (!out) return out.err();
  out->options = std::move(resolved).value();
  return out;
}

core::result<std::map<std::string, std::string>> marathon_env(const package_files& files,
                                                              const nlohmann::json& user_options) {
  auto out = render_package(files, user_options);
  if (!out) return out.err();
  return std::move(out->env);
}

}  // namespace ternmq::scheduler::cosmos
