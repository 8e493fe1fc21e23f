#include "scheduler/edgelb/pool_parser.hpp"

#include <map>
#include <regex>
#include <set>

#include "scheduler/edgelb/edgelb_errc.hpp"
#include "scheduler/edgelb/json_fields.hpp"

namespace ternmq::scheduler::edgelb {
namespace {

using detail::child_path;
using detail::index_path;
using detail::json_errors;
using detail::object_reader;

constexpr std::int64_t k_max_port = 65535;

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

pool_protocol read_protocol(object_reader& r, json_errors& errors) {
  const auto text = r.string("protocol", true);
  if (!text) return pool_protocol::tcp;
  for (auto p : {pool_protocol::tcp, pool_protocol::http, pool_protocol::https, pool_protocol::tls}) {
    if (*text == to_string(p)) return p;
  }
  errors.add(child_path(r.path(), "protocol"), "expected TCP, HTTP, HTTPS or TLS, got \"" + *text + "\"");
  return pool_protocol::tcp;
}

std::vector<std::string> read_misc_strs(object_reader& r, json_errors& errors) {
  auto lines = r.strings("miscStrs");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (has_line_break(lines[i])) errors.add(index_path(child_path(r.path(), "miscStrs"), i), "holds a line break");
  }
  return lines;
}

// A pattern field: read, and checked to compile.
std::string read_pattern(object_reader& r, std::string_view key, json_errors& errors) {
  auto text = r.string(key, false).value_or("");
  if (text.empty()) return text;
  try {
    std::regex compiled(text, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    errors.add(child_path(r.path(), key), "not a valid regular expression: " + std::string(e.what()));
  }
  return text;
}

pool_service read_service(const nlohmann::json& j, const std::string& path, json_errors& errors) {
  pool_service s;
  object_reader r(j, path, errors);
  r.refuse({"marathon"}, "local mode selects Mesos tasks only");
  if (const auto* mesos = r.object("mesos", true)) {
    object_reader m(*mesos, child_path(path, "mesos"), errors);
    s.mesos.framework_name = m.string("frameworkName", false).value_or("");
    s.mesos.framework_name_pattern = read_pattern(m, "frameworkNamePattern", errors);
    s.mesos.task_name = m.string("taskName", false).value_or("");
    s.mesos.task_name_pattern = read_pattern(m, "taskNamePattern", errors);
    m.refuse({"frameworkID", "frameworkIDPattern", "taskID", "taskIDPattern"},
             "local tasks are selected by name; IDs change with every launch");
    m.finish();
    if (s.mesos.framework_name.empty() == s.mesos.framework_name_pattern.empty()) {
      errors.add(m.path(), "needs exactly one of frameworkName and frameworkNamePattern");
    }
    if (!s.mesos.task_name.empty() && !s.mesos.task_name_pattern.empty()) {
      errors.add(m.path(), "needs at most one of taskName and taskNamePattern");
    }
  }
  if (const auto* endpoint = r.object("endpoint", true)) {
    object_reader e(*endpoint, child_path(path, "endpoint"), errors);
    s.port_name = e.string("portName", true).value_or("");
    if (auto type = e.string("type", false); type && *type != "AUTO_IP" && *type != "AGENT_IP" &&
                                             *type != "CONTAINER_IP") {
      errors.add(child_path(e.path(), "type"), "not supported: \"" + *type +
                                                   "\"; local tasks are reached at the address they report");
    }
    e.refuse({"port", "allPorts"}, "select the port by portName");
    e.refuse({"address"}, "ADDRESS endpoints are not run in local mode");
    e.refuse({"check", "miscStr"}, "every server gets the same TCP check in local mode");
    e.finish();
  }
  r.finish();
  return s;
}

pool_backend read_backend(const nlohmann::json& j, const std::string& path, json_errors& errors) {
  pool_backend b;
  object_reader r(j, path, errors);
  b.name = r.string("name", true).value_or("");
  b.protocol = read_protocol(r, errors);
  if (auto balance = r.string("balance", false)) {
    if (balance->empty() || has_line_break(*balance)) {
      errors.add(child_path(path, "balance"), "must be one HAProxy balance algorithm");
    } else {
      b.balance = *balance;
    }
  }
  b.misc_strs = read_misc_strs(r, errors);
  if (const auto* services = r.array("services", true)) {
    for (std::size_t i = 0; i < services->size(); ++i) {
      b.services.push_back(read_service((*services)[i], index_path(child_path(path, "services"), i), errors));
    }
  }
  r.refuse({"rewriteHttp"}, "only TCP backends are run in local mode");
  r.refuse({"customCheck"}, "every server gets the same TCP check in local mode");
  r.finish();
  return b;
}

pool_frontend read_frontend(const nlohmann::json& j, const std::string& path, json_errors& errors) {
  pool_frontend f;
  object_reader r(j, path, errors);
  f.bind_address = r.string("bindAddress", false).value_or("0.0.0.0");
  f.bind_port = static_cast<std::uint16_t>(r.integer("bindPort", 1, k_max_port, true).value_or(0));
  f.name = r.string("name", false).value_or("");
  if (f.name.empty()) f.name = "frontend_" + f.bind_address + "_" + std::to_string(f.bind_port);
  f.protocol = read_protocol(r, errors);
  f.misc_strs = read_misc_strs(r, errors);
  if (const auto* link = r.object("linkBackend", true)) {
    object_reader l(*link, child_path(path, "linkBackend"), errors);
    f.default_backend = l.string("defaultBackend", true).value_or("");
    if (const auto* map = l.array("map", false); map != nullptr && !map->empty()) {
      errors.add(child_path(l.path(), "map"), "not supported: local mode links each frontend to its default backend");
    }
    l.finish();
  }
  r.refuse({"certificates", "redirectToHttps"}, "only TCP frontends are run in local mode");
  r.refuse({"bindModifier"}, "local mode decides how frontends bind");
  r.finish();
  return f;
}

// Checks that need the whole pool: unique names and ports, links to existing backends.
void check_references(const pool& p, json_errors& errors) {
  std::set<std::string> backends;
  for (std::size_t i = 0; i < p.backends.size(); ++i) {
    if (!backends.insert(p.backends[i].name).second) {
      errors.add(index_path("haproxy.backends", i) + ".name", "duplicate backend \"" + p.backends[i].name + "\"");
    }
  }
  std::set<std::string> frontends;
  std::map<std::uint16_t, std::string> ports{{p.stats.bind_port, "haproxy.stats.bindPort"}};
  for (std::size_t i = 0; i < p.frontends.size(); ++i) {
    const auto& f = p.frontends[i];
    const std::string path = index_path("haproxy.frontends", i);
    if (!frontends.insert(f.name).second) errors.add(path + ".name", "duplicate frontend \"" + f.name + "\"");
    if (f.bind_port != 0) {
      if (auto [it, fresh] = ports.emplace(f.bind_port, path + ".bindPort"); !fresh) {
        errors.add(path + ".bindPort", std::to_string(f.bind_port) + " is already bound by " + it->second);
      }
    }
    if (!f.default_backend.empty() && !backends.contains(f.default_backend)) {
      errors.add(path + ".linkBackend.defaultBackend", "no backend named \"" + f.default_backend + "\"");
    }
  }
}

}  // namespace

core::result<pool> pool_from_json(const nlohmann::json& document) {
  json_errors errors;
  pool p;
  object_reader r(document, "", errors);
  if (auto version = r.string("apiVersion", false); version && *version != "V2") {
    errors.add("apiVersion", "not supported: \"" + *version + "\"; only V2 pools are run in local mode");
  }
  p.name = r.string("name", true).value_or("");
  p.count = static_cast<int>(r.integer("count", 0, 1000, false).value_or(1));
  if (const auto* haproxy = r.object("haproxy", true)) {
    object_reader h(*haproxy, "haproxy", errors);
    if (const auto* stats = h.object("stats", false)) {
      object_reader s(*stats, "haproxy.stats", errors);
      p.stats.bind_port = static_cast<std::uint16_t>(s.integer("bindPort", 1, k_max_port, false).value_or(9090));
      s.ignore({"bindAddress"});
      s.finish();
    }
    if (const auto* list = h.array("frontends", true)) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        p.frontends.push_back(read_frontend((*list)[i], index_path("haproxy.frontends", i), errors));
      }
    }
    if (const auto* list = h.array("backends", true)) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        p.backends.push_back(read_backend((*list)[i], index_path("haproxy.backends", i), errors));
      }
    }
    h.finish();
  }
  r.ignore({"namespace", "packageName", "packageVersion", "role", "cpus", "cpusAdminOverhead", "mem",
            "memAdminOverhead", "disk", "constraints", "ports", "secrets", "environmentVariables",
            "autoCertificate", "virtualNetworks", "poolHealthcheckGracePeriod", "poolHealthcheckInterval",
            "poolHealthcheckMaxFail", "poolHealthcheckTimeout", "poolhealthcheckTimeout"});
  r.finish();
  if (errors.empty()) check_references(p, errors);
  if (!errors.empty()) {
    std::string message;
    for (const auto& line : errors.list()) message += (message.empty() ? "" : "\n") + line;
    return make_error(edgelb_errc::invalid_pool, std::move(message));
  }
  return p;
}

core::result<pool> parse_pool(std::string_view json_text) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    return make_error(edgelb_errc::json_syntax, "byte " + std::to_string(e.byte) + ": " + e.what());
  }
  return pool_from_json(document);
}

}  // namespace ternmq::scheduler::edgelb
