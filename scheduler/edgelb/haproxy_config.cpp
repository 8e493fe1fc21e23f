#include "scheduler/edgelb/haproxy_config.hpp"

#include <set>
#include <sstream>
#include <vector>

#include "core/base/status.hpp"
#include "scheduler/edgelb/edgelb_errc.hpp"

namespace ternmq::scheduler::edgelb {
namespace {

constexpr std::string_view k_stats_section = "stats";
constexpr std::string_view k_server_check = "check inter 1s fall 2 rise 1";

bool is_wildcard(const std::string& host) { return host == "0.0.0.0" || host == "::"; }

bool is_plain_token(std::string_view s) {
  return !s.empty() && s.find_first_of(" \t\r\n#") == std::string_view::npos;
}

// `host:port`, with IPv6 hosts in brackets.
std::string endpoint_text(const std::string& host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

struct resolved_bind {
  std::string what;  // "frontend mqtt", "stats"
  bind_address address;
};

// Where every listener binds, checked for clashes (the same port on one address, or on a
// wildcard address and any other).
core::result<std::vector<resolved_bind>> resolve_binds(const pool& p, const bind_plan& plan) {
  std::set<std::string> names;
  for (const auto& f : p.frontends) names.insert(f.name);
  for (const auto& [name, address] : plan.frontends) {
    if (!names.contains(name)) {
      return make_error(edgelb_errc::invalid_settings, "bind plan names frontend \"" + name +
                                                           "\", which the pool does not have");
    }
  }
  std::vector<resolved_bind> out;
  for (const auto& f : p.frontends) {
    const auto it = plan.frontends.find(f.name);
    out.push_back({"frontend " + f.name, it != plan.frontends.end() ? it->second
                                                                     : bind_address{plan.default_host, f.bind_port}});
  }
  out.push_back({"stats", plan.stats.value_or(bind_address{plan.default_host, p.stats.bind_port})});
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto& a = out[i].address;
    if (!is_plain_token(a.host) || a.host.find_first_not_of("0123456789abcdefABCDEF.:") != std::string::npos) {
      return make_error(edgelb_errc::invalid_settings, out[i].what + ": \"" + a.host + "\" is not an IP address");
    }
    if (a.port == 0) return make_error(edgelb_errc::invalid_settings, out[i].what + ": port 0 is not allowed");
    for (std::size_t j = 0; j < i; ++j) {
      const auto& b = out[j].address;
      if (a.port == b.port && (a.host == b.host || is_wildcard(a.host) || is_wildcard(b.host))) {
        return make_error(edgelb_errc::invalid_settings, out[i].what + " and " + out[j].what + " both bind " +
                                                             endpoint_text(a.host, a.port));
      }
    }
  }
  return out;
}

// The pool's sections can be run here: TCP only, names HAProxy takes as they are.
core::status check_runnable(const pool& p) {
  const auto check_name = [](std::string_view what, const std::string& name) {
    if (name != haproxy_name(name)) {
      return core::status::failure(std::string(what) + " name \"" + name +
                                   "\" has characters HAProxy does not allow (letters, digits, - _ . : only)");
    }
    if (name == k_stats_section) {
      return core::status::failure(std::string(what) + " name \"stats\" is taken by the statistics listener");
    }
    return core::status::success();
  };
  for (const auto& f : p.frontends) {
    if (f.protocol != pool_protocol::tcp) {
      return core::status::failure("frontend " + f.name + ": protocol " + std::string(to_string(f.protocol)) +
                                   " is not supported in local mode (TCP only)");
    }
    if (auto s = check_name("frontend", f.name); !s) return s;
  }
  for (const auto& b : p.backends) {
    if (b.protocol != pool_protocol::tcp) {
      return core::status::failure("backend " + b.name + ": protocol " + std::string(to_string(b.protocol)) +
                                   " is not supported in local mode (TCP only)");
    }
    if (auto s = check_name("backend", b.name); !s) return s;
  }
  return core::status::success();
}

}  // namespace

core::result<std::string> haproxy_config(const pool& p, std::span<const task_endpoint> tasks,
                                         const haproxy_settings& settings) {
  if (auto s = check_runnable(p); !s) return make_error(edgelb_errc::invalid_pool, s.message());
  auto binds = resolve_binds(p, settings.binds);
  if (!binds) return binds.err();
  if (!is_plain_token(settings.connect_timeout)) {
    return make_error(edgelb_errc::invalid_settings, "connect timeout \"" + settings.connect_timeout + "\" is not a duration");
  }
  if (!settings.admin_socket.empty() && !is_plain_token(settings.admin_socket)) {
    return make_error(edgelb_errc::invalid_settings, "admin socket path \"" + settings.admin_socket +
                                                         "\" must not contain spaces or #");
  }

  std::ostringstream out;
  out << "# haproxy.cfg for Edge-LB pool \"" << p.name << "\" in local mode, written by ternmq-scheduler.\n"
      << "# Do not edit: it is rewritten whenever the pool or the node tasks change.\n"
      << "global\n"
      << "  # Edge-LB's HAProxy template allows 10000 concurrent connections per pool instance; local\n"
      << "  # mode keeps that ceiling (or the host's file limit, if lower) to behave like one instance.\n"
      << "  maxconn " << settings.maxconn << "\n";
  if (!settings.admin_socket.empty()) {
    out << "  # Lets the next HAProxy take over the listening sockets on reload (-x).\n"
        << "  stats socket " << settings.admin_socket << " mode 600 level admin expose-fd listeners\n";
  }
  out << "\ndefaults\n"
      << "  mode tcp\n"
      << "  timeout connect " << settings.connect_timeout << "\n"
      << "  timeout client 30s\n"
      << "  timeout server 30s\n";

  for (std::size_t i = 0; i < p.frontends.size(); ++i) {
    const auto& f = p.frontends[i];
    out << "\nfrontend " << f.name << "\n"
        << "  bind " << endpoint_text((*binds)[i].address.host, (*binds)[i].address.port) << "\n"
        << "  mode tcp\n";
    for (const auto& line : f.misc_strs) out << "  " << line << "\n";
    out << "  default_backend " << f.default_backend << "\n";
  }
  for (const auto& b : p.backends) {
    auto servers = select_servers(b, tasks);
    if (!servers) return servers.err();
    out << "\nbackend " << b.name << "\n"
        << "  mode tcp\n"
        << "  balance " << b.balance << "\n";
    for (const auto& line : b.misc_strs) out << "  " << line << "\n";
    for (const auto& s : *servers) {
      if (!is_plain_token(s.address.ip) || s.address.port == 0) {
        return make_error(edgelb_errc::invalid_settings, "backend " + b.name + ": server " + s.name + " has no usable address");
      }
      out << "  server " << s.name << " " << endpoint_text(s.address.ip, s.address.port) << " " << k_server_check
          << "\n";
    }
  }
  const auto& stats = binds->back().address;
  out << "\nlisten " << k_stats_section << "\n"
      << "  bind " << endpoint_text(stats.host, stats.port) << "\n"
      << "  mode http\n"
      << "  monitor-uri /_haproxy_health_check\n"
      << "  stats enable\n"
      << "  stats uri /\n";
  return out.str();
}

}  // namespace ternmq::scheduler::edgelb
