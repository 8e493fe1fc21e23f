#include "scheduler/spec/service_spec_parser.hpp"

#include <map>
#include <tuple>

#include "scheduler/spec/spec_errc.hpp"
#include "scheduler/spec/spec_parsers.hpp"
#include "scheduler/spec/task_env.hpp"

namespace ternmq::scheduler::spec {
namespace {

using detail::child_path;
using detail::yaml_errors;
using detail::yaml_map;

std::string port_path(const model::pod_spec& pod, const model::task_spec& task, const model::port_spec& port) {
  return "pods." + pod.type + ".tasks." + task.name + ".ports." + port.name;
}

// Endpoints are keyed by advertised port name, and VIPs by name and port, across the whole
// service; a VIP's prefix must not be some other port's name.
void check_service_ports(const model::service_spec& spec, const YAML::Node& doc, yaml_errors& errors) {
  std::map<std::string, std::string> advertised;
  std::map<std::tuple<std::string, std::uint16_t, std::string>, std::string> vips;
  std::map<std::string, std::string> port_names;
  for (const auto& pod : spec.pods) {
    for (const auto& task : pod.tasks) {
      for (const auto& port : task.ports) port_names.emplace(port.name, port_path(pod, task, port));
    }
  }
  for (const auto& pod : spec.pods) {
    for (const auto& task : pod.tasks) {
      for (const auto& port : task.ports) {
        const std::string path = port_path(pod, task, port);
        const std::vector<std::string> keys = {"pods", pod.type, "tasks", task.name, "ports", port.name};
        auto below = [&](std::initializer_list<std::string> more) {
          auto k = keys;
          k.insert(k.end(), more);
          return detail::key_mark(doc, k);
        };
        if (port.advertise) {
          const auto [it, fresh] = advertised.emplace(port.name, path);
          if (!fresh) errors.add(path, "advertised port name is also advertised by " + it->second, below({}));
        }
        if (!port.vip) continue;
        const auto [it, fresh] = vips.emplace(std::tuple(port.vip->prefix, port.vip->port, port.vip->protocol), path);
        if (!fresh) {
          errors.add(path + ".vip", "VIP " + port.vip->prefix + ":" + std::to_string(port.vip->port) +
                                        " is also declared by " + it->second, below({"vip"}));
        }
        const auto named = port_names.find(port.vip->prefix);
        if (port.vip->prefix != port.name && named != port_names.end()) {
          errors.add(path + ".vip.prefix", "\"" + port.vip->prefix + "\" is the name of another port (" +
                                               named->second + ")", below({"vip", "prefix"}));
        }
      }
    }
  }
}

void parse_scheduler(const yaml_map& root, model::service_spec& spec) {
  const std::string escaped = model::escaped_service_name(spec.name);
  spec.principal = escaped + "-principal";
  spec.role = escaped + "-role";
  const auto* e = root.find("scheduler");
  if (!e) return;
  const yaml_map m(e->value, "scheduler", root.errors(), {"principal", "user", "zookeeper", "role", "api-port"});
  if (auto v = m.string("principal"); v && !v->empty()) spec.principal = *v;
  if (auto v = m.string("role"); v && !v->empty()) spec.role = *v;
  if (auto v = m.string("user"); v && !v->empty()) spec.user = *v;
  if (auto v = m.string("zookeeper"); v && !v->empty()) spec.zookeeper = *v;
  if (auto v = m.integer("api-port", 1, 65535)) spec.api_port = static_cast<std::uint16_t>(*v);
}

model::service_spec map_service_spec(const YAML::Node& doc, yaml_errors& errors) {
  model::service_spec spec;
  if (!doc.IsMap()) {
    errors.add("(document)", "expected a map with name, pods and plans, got " + detail::describe(doc), detail::mark_of(doc));
    return spec;
  }
  const yaml_map root(doc, "", errors, {"name", "web-url", "scheduler", "pods", "plans"});
  root.require("name");
  spec.name = root.string("name").value_or("");
  if (root.has("name") && spec.name.empty()) root.error("name", "must not be empty");
  if (spec.name.find("__") != std::string::npos) {
    root.error("name", "must not contain \"__\" (it stands for \"/\" in ZooKeeper paths)");
  }
  spec.web_url = root.string("web-url").value_or("");
  parse_scheduler(root, spec);
  if (root.require("pods")) {
    const yaml_map pods(root.find("pods")->value, "pods", errors);
    if (pods.is_map() && pods.entries().empty()) root.error("pods", "must declare at least one pod type");
    for (const auto& p : pods.entries()) spec.pods.push_back(detail::parse_pod(p, pods.path(p.key), errors));
  }
  spec.plans = detail::parse_plans(root, spec.pods);
  check_service_ports(spec, doc, errors);
  return spec;
}

std::string join_lines(const std::vector<std::string>& lines, std::string_view prefix) {
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out += '\n';
    out += prefix;
    out += line;
  }
  return out;
}

std::string prefix_lines(const std::string& text, std::string_view prefix) {
  std::string out(prefix);
  for (const char c : text) {
    out += c;
    if (c == '\n') out += prefix;
  }
  return out;
}

}  // namespace

core::result<model::service_spec> parse_service_spec(std::string_view yaml_text) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    std::string where;
    if (!e.mark.is_null()) {
      where = "line " + std::to_string(e.mark.line + 1) + ", column " + std::to_string(e.mark.column + 1) + ": ";
    }
    return make_error(spec_errc::yaml_syntax, where + e.msg);
  }
  yaml_errors errors;
  model::service_spec spec;
  try {
    spec = map_service_spec(doc, errors);
  } catch (const YAML::Exception& e) {  // yaml-cpp misuse on our side; report, do not crash
    return make_error(spec_errc::invalid_spec, std::string("cannot read the YAML document: ") + e.what());
  }
  if (!errors.empty()) return make_error(spec_errc::invalid_spec, join_lines(errors.list(), ""));
  return spec;
}

core::result<model::service_spec> render_service_spec(std::string_view template_text,
                                                      const std::map<std::string, std::string>& env,
                                                      const render_options& options) {
  auto rendered = render_mustache(template_text, env, options);
  if (!rendered) return core::error{rendered.err().code, prefix_lines(rendered.err().message, "svc.yml template: ")};
  auto spec = parse_service_spec(*rendered);
  if (!spec) return core::error{spec.err().code, prefix_lines(spec.err().message, "rendered svc.yml: ")};
  route_task_env(*spec, env);
  return spec;
}

core::status load_config_templates(model::service_spec& spec, const template_reader& read) {
  for (auto& pod : spec.pods) {
    for (auto& task : pod.tasks) {
      for (auto& config : task.configs) {
        auto content = read(config.template_path);
        if (!content) {
          return core::status::failure("pods." + pod.type + ".tasks." + task.name + ".configs." + config.name +
                                       ".template: cannot read \"" + config.template_path + "\": " +
                                       content.err().message);
        }
        config.template_content = std::move(content).value();
      }
    }
  }
  return core::status::success();
}

}  // namespace ternmq::scheduler::spec
