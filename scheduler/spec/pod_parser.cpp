// Reader for one pod type (`pods.P`), with the checks that need the whole pod: resource-set
// references, and host ports and environment keys that would collide on the pod's agent.
#include <algorithm>
#include <array>
#include <limits>
#include <set>

#include "scheduler/spec/spec_parsers.hpp"

namespace ternmq::scheduler::spec::detail {
namespace {

// The limits Mesos' `RLimitInfo` knows.
constexpr std::array<std::string_view, 16> k_rlimits = {
    "RLIMIT_AS",     "RLIMIT_CORE",   "RLIMIT_CPU",    "RLIMIT_DATA",   "RLIMIT_FSIZE",    "RLIMIT_LOCKS",
    "RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_NOFILE", "RLIMIT_NPROC",  "RLIMIT_RSS",
    "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK"};

// Keys dcos-commons knows that this scheduler cannot honour: refused, not silently dropped.
constexpr std::array<std::string_view, 7> k_unsupported = {
    "container", "strategy", "external-volumes", "seccomp-unconfined", "seccomp-profile-name", "ipc-mode", "shm-size"};

std::vector<std::uint16_t> parse_port_list(const yaml_map& m, std::string_view key) {
  std::vector<std::uint16_t> out;
  const auto* e = m.find(key);
  if (!e) return out;
  if (!e->value.IsSequence()) {
    m.error(key, "expected a list, got " + describe(e->value));
    return out;
  }
  for (std::size_t i = 0; i < e->value.size(); ++i) {
    const YAML::Node item = e->value[i];
    if (auto p = read_integer(item, index_path(m.path(key), i), m.errors(), mark_of(item, e->key_node.Mark()), 1, 65535)) {
      out.push_back(static_cast<std::uint16_t>(*p));
    }
  }
  return out;
}

std::vector<model::network_spec> parse_networks(const yaml_map& pod) {
  std::vector<model::network_spec> out;
  const auto* e = pod.find("networks");
  if (!e) return out;
  const yaml_map networks(e->value, pod.path("networks"), pod.errors());
  for (const auto& n : networks.entries()) {
    model::network_spec net;
    net.name = n.key;
    if (!n.value.IsNull()) {  // `networks: {dcos: }` joins with no options
      const yaml_map m(n.value, networks.path(n.key), pod.errors(), {"host-ports", "container-ports", "labels"});
      net.host_ports = parse_port_list(m, "host-ports");
      net.container_ports = parse_port_list(m, "container-ports");
      net.labels = parse_labels(m, "labels");
      if (net.host_ports.size() != net.container_ports.size()) {
        m.error("container-ports", "must list as many ports as host-ports (" + std::to_string(net.host_ports.size()) + ")");
      }
    }
    out.push_back(std::move(net));
  }
  return out;
}

std::vector<model::rlimit_spec> parse_rlimits(const yaml_map& pod) {
  std::vector<model::rlimit_spec> out;
  const auto* e = pod.find("rlimits");
  if (!e) return out;
  const yaml_map rlimits(e->value, pod.path("rlimits"), pod.errors());
  for (const auto& r : rlimits.entries()) {
    const std::string path = rlimits.path(r.key);
    if (std::find(k_rlimits.begin(), k_rlimits.end(), r.key) == k_rlimits.end()) {
      pod.errors().add(path, "unknown resource limit (expected RLIMIT_AS, RLIMIT_NOFILE, ...)", r.key_node.Mark());
      continue;
    }
    model::rlimit_spec limit;
    limit.name = r.key;
    if (!r.value.IsNull()) {  // `RLIMIT_CORE:` alone means unlimited
      const yaml_map m(r.value, path, pod.errors(), {"soft", "hard"});
      limit.soft = m.integer("soft", 0, std::numeric_limits<std::int64_t>::max());
      limit.hard = m.integer("hard", 0, std::numeric_limits<std::int64_t>::max());
      if (m.has("soft") != m.has("hard")) {
        pod.errors().add(path, "set both soft and hard, or neither (unlimited)", m.mark());
      } else if (limit.soft && limit.hard && *limit.soft > *limit.hard) {
        m.error("soft", "must not exceed hard (" + std::to_string(*limit.hard) + ")");
      }
    }
    out.push_back(std::move(limit));
  }
  return out;
}

std::vector<model::secret_spec> parse_secrets(const yaml_map& pod) {
  std::vector<model::secret_spec> out;
  const auto* e = pod.find("secrets");
  if (!e) return out;
  const yaml_map secrets(e->value, pod.path("secrets"), pod.errors());
  for (const auto& s : secrets.entries()) {
    const yaml_map m(s.value, secrets.path(s.key), pod.errors(), {"secret", "env-key", "file"}, s.key_node.Mark());
    m.require("secret");
    model::secret_spec secret{s.key, m.string("secret").value_or(""), m.string("env-key").value_or(""),
                              m.string("file").value_or("")};
    if (m.has("env-key")) check_env_name(secret.env_key, m.path("env-key"), pod.errors(), mark_of(m.find("env-key")->value));
    if (m.is_map() && secret.env_key.empty() && secret.file.empty()) {
      pod.errors().add(m.path(), "set env-key, file or both", m.mark());
    }
    out.push_back(std::move(secret));
  }
  return out;
}

std::vector<model::host_volume_spec> parse_host_volumes(const yaml_map& pod) {
  std::vector<model::host_volume_spec> out;
  const auto* e = pod.find("host-volumes");
  if (!e) return out;
  const yaml_map volumes(e->value, pod.path("host-volumes"), pod.errors());
  for (const auto& v : volumes.entries()) {
    const yaml_map m(v.value, volumes.path(v.key), pod.errors(), {"host-path", "container-path"}, v.key_node.Mark());
    m.require("host-path");
    m.require("container-path");
    out.push_back({v.key, m.string("host-path").value_or(""), m.string("container-path").value_or("")});
  }
  return out;
}

std::vector<model::resource_set_spec> parse_resource_sets(const yaml_map& pod) {
  std::vector<model::resource_set_spec> out;
  const auto* e = pod.find("resource-sets");
  if (!e) return out;
  const yaml_map sets(e->value, pod.path("resource-sets"), pod.errors());
  for (const auto& s : sets.entries()) {
    const yaml_map m(s.value, sets.path(s.key), pod.errors(), {"cpus", "gpus", "memory", "ports", "volume", "volumes"},
                     s.key_node.Mark());
    m.require("cpus");
    m.require("memory");
    model::resource_set_spec set;
    set.name = s.key;
    set.cpus = m.number("cpus", 0, true).value_or(0);
    set.gpus = m.number("gpus", 0).value_or(0);
    set.memory_mb = static_cast<std::uint32_t>(m.integer("memory", 1, std::numeric_limits<std::int32_t>::max()).value_or(0));
    set.ports = parse_ports(m);
    set.volumes = parse_volumes(m);
    out.push_back(std::move(set));
  }
  return out;
}

// Fixed host ports are reserved on the pod's agent, so two ports of one pod cannot ask for the same
// number; environment keys of one task must not overwrite each other.
void check_pod_ports(const model::pod_spec& pod, const yaml_map& m, const YAML::Node& node) {
  std::map<std::uint16_t, std::string> taken;
  auto claim = [&](const std::vector<model::port_spec>& ports, const std::string& section, const std::string& owner) {
    std::set<std::string> env_keys;
    for (const auto& p : ports) {
      const std::string path = child_path(child_path(child_path(m.path(section), owner), "ports"), p.name);
      const YAML::Mark at = key_mark(node, {section, owner, "ports", p.name});
      if (p.port != 0) {
        const auto [it, fresh] = taken.emplace(p.port, path);
        if (!fresh) m.errors().add(path, "port " + std::to_string(p.port) + " is also used by " + it->second, at);
      }
      if (!p.env_key.empty() && !env_keys.insert(p.env_key).second) {
        m.errors().add(path, "env-key \"" + p.env_key + "\" is used by another port of the same task", at);
      }
    }
  };
  for (const auto& set : pod.resource_sets) claim(set.ports, "resource-sets", set.name);
  for (const auto& t : pod.tasks) claim(t.ports, "tasks", t.name);
}

}  // namespace

model::pod_spec parse_pod(const yaml_map::entry& e, const std::string& path, yaml_errors& errors) {
  model::pod_spec pod;
  pod.type = e.key;
  check_dns_name(e.key, path, errors, e.key_node.Mark());
  const yaml_map m(e.value, path, errors,
                   {"count", "allow-decommission", "placement", "image", "networks", "rlimits", "uris", "user",
                    "pre-reserved-role", "share-pid-namespace", "secrets", "volume", "volumes", "host-volumes",
                    "resource-sets", "tasks", "container", "strategy", "external-volumes", "seccomp-unconfined",
                    "seccomp-profile-name", "ipc-mode", "shm-size"},
                   e.key_node.Mark());
  if (!m.is_map()) return pod;
  for (const auto key : k_unsupported) {
    if (m.has(key)) m.error(key, "not supported by ternmq-scheduler");
  }
  pod.count = static_cast<std::uint32_t>(m.integer("count", 0, std::numeric_limits<std::int32_t>::max()).value_or(1));
  pod.allow_decommission = m.boolean("allow-decommission").value_or(false);
  pod.placement = m.string("placement").value_or("");
  pod.image = m.string("image");
  pod.uris = m.strings("uris");
  pod.user = m.string("user").value_or("");
  pod.pre_reserved_role = m.string("pre-reserved-role").value_or("*");
  pod.share_pid_namespace = m.boolean("share-pid-namespace").value_or(false);
  pod.networks = parse_networks(m);
  pod.rlimits = parse_rlimits(m);
  pod.secrets = parse_secrets(m);
  pod.volumes = parse_volumes(m);
  pod.host_volumes = parse_host_volumes(m);
  pod.resource_sets = parse_resource_sets(m);

  if (m.require("tasks")) {
    const yaml_map tasks(m.find("tasks")->value, m.path("tasks"), errors);
    if (tasks.is_map() && tasks.entries().empty()) m.error("tasks", "must declare at least one task");
    for (const auto& t : tasks.entries()) {
      pod.tasks.push_back(parse_task(t, tasks.path(t.key), errors));
      const auto& task = pod.tasks.back();
      if (!task.resource_set.empty() && !pod.find_resource_set(task.resource_set)) {
        errors.add(child_path(tasks.path(t.key), "resource-set"),
                   "no resource set \"" + task.resource_set + "\" in " + m.path("resource-sets"),
                   key_mark(t.value, {"resource-set"}));
      }
      for (const auto& v : task.volumes) {
        const bool clash = std::any_of(pod.volumes.begin(), pod.volumes.end(),
                                       [&](const model::volume_spec& p) { return p.path == v.path; });
        if (clash) {
          errors.add(child_path(tasks.path(t.key), v.name.empty() ? "volume" : "volumes." + v.name),
                     "path \"" + v.path + "\" is also used by a pod volume",
                     v.name.empty() ? key_mark(t.value, {"volume"}) : key_mark(t.value, {"volumes", v.name}));
        }
      }
    }
  }
  check_pod_ports(pod, m, e.value);
  return pod;
}

}  // namespace ternmq::scheduler::spec::detail
