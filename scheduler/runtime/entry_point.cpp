#include "scheduler/runtime/entry_point.hpp"

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/base/log.hpp"
#include "scheduler/dns/mesos_dns.hpp"
#include "scheduler/edgelb/pool_template.hpp"
#include "scheduler/edgelb/server_selection.hpp"

namespace ternmq::scheduler::runtime {

entry_point::entry_point(entry_point_settings settings)
    : settings_(std::move(settings)), haproxy_({settings_.directory}) {}

core::status entry_point::configure(const nlohmann::json& resolved_options, const std::string& service_name) {
  std::ifstream in(settings_.template_path);
  if (!in) return core::status::failure("cannot read \"" + settings_.template_path.string() + "\"");
  std::ostringstream text;
  text << in.rdbuf();
  edgelb::pool_settings pool_settings;
  pool_settings.name = dns::domain_frag(service_name) + "-lb";
  auto rendered = edgelb::render_pool(text.str(), edgelb::pool_context(resolved_options, pool_settings));
  if (!rendered) return core::status::failure(rendered.err().message);
  pool_ = std::move(rendered).value();
  pool_name_ = pool_->name;

  haproxy_settings_ = {};
  haproxy_settings_.binds.default_host = settings_.address;
  for (const auto& [name, port] : settings_.ports) {
    if (name == "stats") haproxy_settings_.binds.stats = edgelb::bind_address{settings_.address, port};
    else haproxy_settings_.binds.frontends[name] = edgelb::bind_address{settings_.address, port};
  }
  // A mapping for a frontend the pool does not have (websocket while it is off) is not an error.
  std::erase_if(haproxy_settings_.binds.frontends, [&](const auto& entry) {
    for (const auto& f : pool_->frontends) {
      if (f.name == entry.first) return false;
    }
    return true;
  });
  haproxy_settings_.admin_socket = haproxy_.admin_socket_path();
  // Edge-LB's 10,000 connections need twice as many descriptors; a host with a lower limit (20,000
  // here, which cannot be raised) gets the most that fits rather than an HAProxy that will not start.
  haproxy_settings_.maxconn = edgelb::fitting_maxconn(edgelb::k_edgelb_maxconn);
  if (haproxy_settings_.maxconn < edgelb::k_edgelb_maxconn) {
    TERNMQ_LOG(info) << "entry point: maxconn " << haproxy_settings_.maxconn << " (the open-file limit allows no more)";
  }
  return core::status::success();
}

core::status entry_point::sync(const std::string& service_name, const std::vector<state::task_record>& tasks) {
  if (!pool_) return core::status::failure("the entry point is not configured");
  std::vector<edgelb::task_endpoint> endpoints;
  for (const auto& r : tasks) {
    if (state::is_terminal(r.state)) continue;
    edgelb::task_endpoint e{service_name, r.task_name, {}};
    for (const auto& [port_name, port] : r.ports) e.ports[port_name] = {r.ip, port};
    endpoints.push_back(std::move(e));
  }
  auto config = edgelb::haproxy_config(*pool_, endpoints, haproxy_settings_);
  if (!config) return core::status::failure(config.err().message);
  if (haproxy_.alive() && haproxy_.current_config() == *config) return core::status::success();
  auto applied = haproxy_.apply(*config);
  if (!applied && applied.message() != last_error_) {
    last_error_ = applied.message();
    TERNMQ_LOG(error) << "entry point: " << applied.message();
  }
  if (applied) last_error_.clear();
  return applied;
}

void entry_point::poll() {
  for (const auto& exit : haproxy_.poll()) {
    if (!exit.expected) TERNMQ_LOG(warning) << "entry point: " << exit.description;
  }
}

void entry_point::stop() {
  haproxy_.stop();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!haproxy_.stopped() && std::chrono::steady_clock::now() < deadline) {
    haproxy_.poll();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::vector<entry_point_listener> entry_point::listeners() const {
  std::vector<entry_point_listener> out;
  if (!pool_) return out;
  for (const auto& f : pool_->frontends) {
    auto it = haproxy_settings_.binds.frontends.find(f.name);
    auto bind = it != haproxy_settings_.binds.frontends.end() ? it->second
                                                              : edgelb::bind_address{settings_.address, f.bind_port};
    out.push_back({f.name, bind.host + ":" + std::to_string(bind.port)});
  }
  return out;
}

}  // namespace ternmq::scheduler::runtime
