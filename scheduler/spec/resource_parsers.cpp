// Readers for the resource-like parts of svc.yml: ports, volumes, checks, labels, name rules.
#include <algorithm>
#include <cctype>
#include <limits>

#include "scheduler/spec/spec_parsers.hpp"

namespace ternmq::scheduler::spec::detail {
namespace {

YAML::Mark where(const yaml_map::entry& e) { return mark_of(e.value, e.key_node.Mark()); }

std::vector<model::port_range> parse_ranges(const yaml_map& port) {
  std::vector<model::port_range> out;
  const auto* e = port.find("ranges");
  if (!e) return out;
  if (!e->value.IsSequence()) {
    port.error("ranges", "expected a list, got " + describe(e->value));
    return out;
  }
  for (std::size_t i = 0; i < e->value.size(); ++i) {
    const yaml_map r(e->value[i], index_path(port.path("ranges"), i), port.errors(), {"begin", "end"});
    r.require("begin");
    r.require("end");
    const auto begin = r.integer("begin", 1, 65535);
    const auto end = r.integer("end", 1, 65535);
    if (!begin || !end) continue;
    if (*begin > *end) {
      r.error("end", "must not be less than begin (" + std::to_string(*begin) + ")");
      continue;
    }
    out.push_back({static_cast<std::uint16_t>(*begin), static_cast<std::uint16_t>(*end)});
  }
  return out;
}

std::optional<model::vip_spec> parse_vip(const yaml_map& port, const std::string& port_name, bool& advertise) {
  const auto* e = port.find("vip");
  if (!e) return std::nullopt;
  const yaml_map v(e->value, port.path("vip"), port.errors(), {"prefix", "port", "protocol", "advertise"});
  model::vip_spec vip;
  vip.prefix = v.string("prefix").value_or(port_name);
  if (v.has("prefix")) check_dns_name(vip.prefix, v.path("prefix"), v.errors(), where(*v.find("prefix")));
  v.require("port");
  vip.port = static_cast<std::uint16_t>(v.integer("port", 1, 65535).value_or(0));
  if (auto protocol = v.string("protocol")) {
    std::transform(protocol->begin(), protocol->end(), protocol->begin(), [](unsigned char c) { return std::tolower(c); });
    if (*protocol != "tcp" && *protocol != "udp") {
      v.error("protocol", "expected tcp or udp, got \"" + *protocol + "\"");
    } else {
      vip.protocol = *protocol;
    }
  }
  if (v.boolean("advertise").value_or(false)) advertise = true;  // older svc.yml put it here
  return vip;
}

model::volume_spec parse_volume(const yaml_map::entry& e, std::string name, const std::string& path, yaml_errors& errors) {
  model::volume_spec v;
  v.name = std::move(name);
  const yaml_map m(e.value, path, errors, {"path", "type", "size"}, e.key_node.Mark());
  m.require("path");
  m.require("size");
  v.path = m.string("path").value_or("");
  if (m.has("path") && v.path.empty()) m.error("path", "must not be empty");
  v.size_mb = static_cast<std::uint64_t>(m.integer("size", 1, std::numeric_limits<std::int64_t>::max()).value_or(0));
  if (auto type = m.string("type")) {
    if (auto t = model::parse_volume_type(*type)) {
      v.type = *t;
    } else {
      m.error("type", "expected ROOT or MOUNT, got \"" + *type + "\"");
    }
  }
  return v;
}

}  // namespace

bool check_dns_name(std::string_view name, std::string_view path, yaml_errors& errors, const YAML::Mark& at) {
  const bool ok = !name.empty() && name.size() <= 63 && name.front() != '-' && name.back() != '-' &&
                  name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string_view::npos;
  if (!ok) {
    errors.add(path, "\"" + std::string(name) +
                         "\" is not a valid name: use 1 to 63 lower-case letters, digits and '-', not at either end "
                         "(it becomes part of DNS names)", at);
  }
  return ok;
}

bool check_env_name(std::string_view name, std::string_view path, yaml_errors& errors, const YAML::Mark& at) {
  const bool ok = !name.empty() && (std::isalpha(static_cast<unsigned char>(name.front())) || name.front() == '_') &&
                  std::all_of(name.begin(), name.end(),
                              [](unsigned char c) { return std::isalnum(c) || c == '_'; });
  if (!ok) errors.add(path, "\"" + std::string(name) + "\" is not a valid environment variable name", at);
  return ok;
}

std::vector<model::port_spec> parse_ports(const yaml_map& owner) {
  std::vector<model::port_spec> out;
  const auto* e = owner.find("ports");
  if (!e) return out;
  const yaml_map ports(e->value, owner.path("ports"), owner.errors());
  for (const auto& p : ports.entries()) {
    const std::string path = ports.path(p.key);
    check_dns_name(p.key, path, owner.errors(), p.key_node.Mark());
    const yaml_map m(p.value, path, owner.errors(), {"port", "env-key", "advertise", "vip", "ranges"}, p.key_node.Mark());
    model::port_spec port;
    port.name = p.key;
    port.port = static_cast<std::uint16_t>(m.integer("port", 0, 65535).value_or(0));
    if (auto key = m.string("env-key")) {
      check_env_name(*key, m.path("env-key"), owner.errors(), where(*m.find("env-key")));
      port.env_key = *key;
    }
    port.advertise = m.boolean("advertise").value_or(false);
    port.vip = parse_vip(m, p.key, port.advertise);
    port.ranges = parse_ranges(m);
    if (port.port != 0 && !port.ranges.empty()) m.error("ranges", "only applies to dynamic ports (port: 0)");
    out.push_back(std::move(port));
  }
  return out;
}

std::vector<model::volume_spec> parse_volumes(const yaml_map& owner) {
  std::vector<model::volume_spec> out;
  if (const auto* e = owner.find("volume")) out.push_back(parse_volume(*e, "", owner.path("volume"), owner.errors()));
  if (const auto* e = owner.find("volumes")) {
    const yaml_map volumes(e->value, owner.path("volumes"), owner.errors());
    for (const auto& v : volumes.entries()) {
      out.push_back(parse_volume(v, v.key, volumes.path(v.key), owner.errors()));
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (!out[i].path.empty() && out[i].path == out[j].path) {
        owner.errors().add(out[i].name.empty() ? owner.path("volume") : child_path(owner.path("volumes"), out[i].name),
                           "path \"" + out[i].path + "\" is used by another volume", owner.mark());
      }
    }
  }
  return out;
}

std::optional<model::health_check_spec> parse_health_check(const yaml_map& task) {
  const auto* e = task.find("health-check");
  if (!e) return std::nullopt;
  const yaml_map m(e->value, task.path("health-check"), task.errors(),
                   {"cmd", "interval", "grace-period", "max-consecutive-failures", "delay", "timeout"});
  for (const auto key : {"cmd", "interval", "grace-period", "max-consecutive-failures", "delay", "timeout"}) {
    m.require(key);
  }
  constexpr auto k_max = std::numeric_limits<std::int32_t>::max();
  model::health_check_spec h;
  h.cmd = m.string("cmd").value_or("");
  h.interval = std::chrono::seconds(m.integer("interval", 0, k_max).value_or(0));
  h.grace_period = std::chrono::seconds(m.integer("grace-period", 0, k_max).value_or(0));
  h.max_consecutive_failures = static_cast<std::uint32_t>(m.integer("max-consecutive-failures", 1, k_max).value_or(0));
  h.delay = std::chrono::seconds(m.integer("delay", 0, k_max).value_or(0));
  h.timeout = std::chrono::seconds(m.integer("timeout", 0, k_max).value_or(0));
  return h;
}

std::optional<model::readiness_check_spec> parse_readiness_check(const yaml_map& task) {
  const auto* e = task.find("readiness-check");
  if (!e) return std::nullopt;
  const yaml_map m(e->value, task.path("readiness-check"), task.errors(), {"cmd", "interval", "delay", "timeout"});
  for (const auto key : {"cmd", "interval", "delay", "timeout"}) m.require(key);
  constexpr auto k_max = std::numeric_limits<std::int32_t>::max();
  model::readiness_check_spec r;
  r.cmd = m.string("cmd").value_or("");
  r.interval = std::chrono::seconds(m.integer("interval", 0, k_max).value_or(0));
  r.delay = std::chrono::seconds(m.integer("delay", 0, k_max).value_or(0));
  r.timeout = std::chrono::seconds(m.integer("timeout", 0, k_max).value_or(0));
  return r;
}

std::map<std::string, std::string> parse_labels(const yaml_map& owner, std::string_view key) {
  std::map<std::string, std::string> out;
  const auto csv = owner.string(key);
  if (!csv || csv->empty()) return out;
  std::string_view rest = *csv;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const auto colon = item.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      owner.error(key, "expected comma-separated key:value pairs, got \"" + *csv + "\"");
      return {};
    }
    out[std::string(item.substr(0, colon))] = std::string(item.substr(colon + 1));
  }
  return out;
}

}  // namespace ternmq::scheduler::spec::detail
