// Reader for one task of a pod (`pods.P.tasks.T`).
#include <limits>

#include "scheduler/spec/spec_parsers.hpp"

namespace ternmq::scheduler::spec::detail {
namespace {

constexpr std::int64_t k_int32_max = std::numeric_limits<std::int32_t>::max();

std::map<std::string, std::string> parse_env(const yaml_map& task) {
  std::map<std::string, std::string> out;
  const auto* e = task.find("env");
  if (!e) return out;
  const yaml_map env(e->value, task.path("env"), task.errors());
  for (const auto& v : env.entries()) {
    check_env_name(v.key, env.path(v.key), task.errors(), v.key_node.Mark());
    if (v.value.IsNull()) {
      out[v.key] = "";  // `KEY: {{UNSET}}`
    } else if (auto s = read_string(v.value, env.path(v.key), task.errors(), mark_of(v.value, v.key_node.Mark()))) {
      out[v.key] = *s;
    }
  }
  return out;
}

std::vector<model::config_spec> parse_configs(const yaml_map& task) {
  std::vector<model::config_spec> out;
  const auto* e = task.find("configs");
  if (!e) return out;
  const yaml_map configs(e->value, task.path("configs"), task.errors());
  for (const auto& c : configs.entries()) {
    const yaml_map m(c.value, configs.path(c.key), task.errors(), {"template", "dest"}, c.key_node.Mark());
    m.require("template");
    m.require("dest");
    out.push_back({c.key, m.string("template").value_or(""), m.string("dest").value_or(""), ""});
  }
  return out;
}

std::optional<model::discovery_spec> parse_discovery(const yaml_map& task) {
  const auto* e = task.find("discovery");
  if (!e) return std::nullopt;
  const yaml_map m(e->value, task.path("discovery"), task.errors(), {"prefix", "visibility"});
  model::discovery_spec d;
  d.prefix = m.string("prefix").value_or("");
  if (m.has("prefix")) {
    // Usually the service name, which may be foldered ("/prod/mqtt"): Mesos-DNS drops the slashes
    // (`_mqtt._prodmqtt-0._tcp.prodmqtt.mesos.`), so only what remains has to be a DNS label.
    std::string label;
    for (char c : d.prefix) {
      if (c != '/') label += c == '.' ? '-' : c;
    }
    check_dns_name(label, m.path("prefix"), task.errors(), mark_of(m.find("prefix")->value));
  }
  d.visibility = m.string("visibility").value_or("");
  if (!d.visibility.empty() && d.visibility != "FRAMEWORK" && d.visibility != "CLUSTER" && d.visibility != "EXTERNAL") {
    m.error("visibility", "expected FRAMEWORK, CLUSTER or EXTERNAL, got \"" + d.visibility + "\"");
  }
  return d;
}

std::vector<model::transport_encryption_spec> parse_transport_encryption(const yaml_map& task) {
  std::vector<model::transport_encryption_spec> out;
  const auto* e = task.find("transport-encryption");
  if (!e) return out;
  if (!e->value.IsSequence()) {
    task.error("transport-encryption", "expected a list, got " + describe(e->value));
    return out;
  }
  for (std::size_t i = 0; i < e->value.size(); ++i) {
    const yaml_map m(e->value[i], index_path(task.path("transport-encryption"), i), task.errors(), {"name", "type"});
    m.require("name");
    m.require("type");
    model::transport_encryption_spec t;
    t.name = m.string("name").value_or("");
    if (auto type = m.string("type")) {
      if (*type == "TLS") {
        t.type = model::encryption_type::tls;
      } else if (*type == "KEYSTORE") {
        t.type = model::encryption_type::keystore;
      } else {
        m.error("type", "expected TLS or KEYSTORE, got \"" + *type + "\"");
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

// `unlimited` or a number no less than the request.
model::resource_limit parse_limit(const yaml_map& limits, std::string_view key, double request) {
  const auto* e = limits.find(key);
  if (!e) return std::nullopt;
  if (e->value.IsScalar() && e->value.Scalar() == "unlimited") return std::numeric_limits<double>::infinity();
  const auto value = limits.number(key, 0, true);
  if (value && *value < request) {
    limits.error(key, "must be at least the requested " + std::string(key) + " or \"unlimited\"");
    return std::nullopt;
  }
  return value;
}

// Own resources, or a reference to a pod resource set (checked by the pod reader).
void parse_resources(const yaml_map& m, model::task_spec& t) {
  if (auto set = m.string("resource-set")) {
    t.resource_set = *set;
    for (const auto key : {"cpus", "gpus", "memory", "ports", "volume", "volumes"}) {
      if (m.has(key)) m.error(key, "not allowed together with resource-set, which provides the task's resources");
    }
    return;
  }
  m.require("cpus");
  m.require("memory");
  t.cpus = m.number("cpus", 0, true).value_or(0);
  t.gpus = m.number("gpus", 0).value_or(0);
  t.memory_mb = static_cast<std::uint32_t>(m.integer("memory", 1, k_int32_max).value_or(0));
  t.ports = parse_ports(m);
  t.volumes = parse_volumes(m);
}

}  // namespace

model::task_spec parse_task(const yaml_map::entry& e, const std::string& path, yaml_errors& errors) {
  model::task_spec t;
  t.name = e.key;
  check_dns_name(e.key, path, errors, e.key_node.Mark());
  const yaml_map m(e.value, path, errors,
                   {"goal", "essential", "cmd", "env", "configs", "cpus", "gpus", "memory", "ports", "health-check",
                    "readiness-check", "volume", "volumes", "resource-set", "discovery", "labels", "kill-grace-period",
                    "transport-encryption", "resource-limits"},
                   e.key_node.Mark());
  if (!m.is_map()) return t;
  if (auto goal = m.string("goal")) {
    if (auto g = model::parse_task_goal(*goal)) {
      t.goal = *g;
    } else {
      m.error("goal", "expected RUNNING, FINISH or ONCE, got \"" + *goal + "\"");
    }
  }
  t.essential = m.boolean("essential").value_or(true);
  m.require("cmd");
  const auto cmd = m.string("cmd");
  t.cmd = cmd.value_or("");
  if (cmd && cmd->empty()) m.error("cmd", "must not be empty");
  parse_resources(m, t);
  if (const auto* limits = m.find("resource-limits")) {
    const yaml_map l(limits->value, m.path("resource-limits"), errors, {"cpus", "memory"});
    t.cpus_limit = parse_limit(l, "cpus", t.cpus);
    t.memory_limit_mb = parse_limit(l, "memory", t.memory_mb);
  }
  t.configs = parse_configs(m);
  t.env = parse_env(m);
  t.labels = parse_labels(m, "labels");
  t.health_check = parse_health_check(m);
  t.readiness_check = parse_readiness_check(m);
  t.discovery = parse_discovery(m);
  if (auto grace = m.integer("kill-grace-period", 0, k_int32_max)) t.kill_grace_period = std::chrono::seconds(*grace);
  t.transport_encryption = parse_transport_encryption(m);
  return t;
}

}  // namespace ternmq::scheduler::spec::detail
