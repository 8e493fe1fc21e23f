#include "scheduler/runtime/rendered_configuration.hpp"

#include <fstream>
#include <sstream>

#include "scheduler/spec/mustache.hpp"
#include "scheduler/spec/service_spec_parser.hpp"
#include "scheduler/spec/task_env.hpp"

namespace ternmq::scheduler::runtime {
namespace {

core::result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::error{1, "cannot read \"" + path.string() + "\""};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

core::result<rendered_configuration> render_configuration(const std::filesystem::path& svc_yml,
                                                          const std::map<std::string, std::string>& env) {
  auto template_text = read_file(svc_yml);
  if (!template_text) return core::error{1, "svc.yml: " + template_text.err().message};
  auto rendered = spec::render_mustache(*template_text, env);
  if (!rendered) return core::error{1, "svc.yml template: " + rendered.err().message};
  auto spec = spec::parse_service_spec(*rendered);
  if (!spec) return core::error{1, "rendered svc.yml: " + spec.err().message};

  rendered_configuration out;
  out.stored.svc_yml = *rendered;
  for (const auto& [key, value] : env) {
    if (key.starts_with("TASKCFG_")) out.stored.env[key] = value;
  }
  spec::route_task_env(*spec, out.stored.env);
  const auto base = svc_yml.has_parent_path() ? svc_yml.parent_path() : std::filesystem::path(".");
  auto loaded = spec::load_config_templates(*spec, [&](const std::string& path) -> core::result<std::string> {
    auto content = read_file(base / path);
    if (content) out.stored.templates[path] = *content;
    return content;
  });
  if (!loaded) return core::error{1, loaded.message()};
  out.spec = std::move(spec).value();
  return out;
}

}  // namespace ternmq::scheduler::runtime
