#include "scheduler/runtime/endpoint_report.hpp"

#include <algorithm>
#include <sstream>

#include "scheduler/dns/dcos_names.hpp"
#include "scheduler/dns/mesos_dns.hpp"

namespace ternmq::scheduler::runtime {
namespace {

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.resize(width, ' ');
  return text + " ";
}

// The advertised port named `name` of any task of the spec, for its VIP.
const model::port_spec* advertised_port(const model::service_spec& spec, const std::string& name) {
  for (const auto& pod : spec.pods) {
    for (const auto& task : pod.tasks) {
      if (const auto* port = task.find_port(name); port != nullptr && port->advertise) return port;
    }
  }
  return nullptr;
}

}  // namespace

std::string endpoint_report(const endpoint_report_input& in) {
  const model::service_spec& spec = *in.spec;
  std::ostringstream out;
  out << "Endpoints (local address -> the DC/OS name it stands for)\n";
  if (!in.pool_name.empty()) {
    out << "  entry point (HAProxy from edge-lb/pool.json.mustache, Edge-LB pool \"" << in.pool_name << "\")\n";
    for (const auto& listener : in.entry_point) {
      std::string dcos;
      if (const auto* port = advertised_port(spec, listener.name); port != nullptr && port->vip) {
        dcos = dns::vip_endpoint(port->vip->prefix, spec.name, port->vip->port) + " (VIP)";
      }
      out << "    " << pad(listener.name, 14) << pad(listener.address, 21) << dcos << "\n";
    }
  }
  auto tasks = in.tasks;
  std::sort(tasks.begin(), tasks.end(), [](const auto& a, const auto& b) {
    return std::tie(a.pod_type, a.pod_index, a.task) < std::tie(b.pod_type, b.pod_index, b.task);
  });
  for (const auto& record : tasks) {
    const model::pod_spec* pod = spec.find_pod(record.pod_type);
    const model::task_spec* task = pod ? pod->find_task(record.task) : nullptr;
    if (task == nullptr) continue;
    out << "  " << record.pod_type << "-" << record.pod_index << " (" << record.task_name << ", "
        << state::to_string(record.state).substr(5) << ")\n";
    const std::string discovery = dns::discovery_name(*task, record.pod_type, record.pod_index);
    for (const auto& port : task->ports) {
      auto it = record.ports.find(port.name);
      if (!port.advertise || it == record.ports.end()) continue;
      out << "    " << pad(port.name, 14) << pad(record.ip + ":" + std::to_string(it->second), 21)
          << dns::named_srv_record(port.name, discovery, spec.name) << "  "
          << dns::autoip_endpoint(discovery, spec.name, it->second) << "\n";
    }
  }
  if (!in.api_url.empty()) {
    out << "  " << pad("scheduler API", 16) << pad(in.api_url, 21) << "api." << dns::domain_frag(spec.name)
        << ".marathon.l4lb.thisdcos.directory:80\n";
  }
  return out.str();
}

std::string try_it_hint(const endpoint_report_input& input, const std::string& cli) {
  for (const auto& r : input.tasks) {
    auto port = r.ports.find("mqtt");
    if (port == r.ports.end() || r.pod_index != 0) continue;
    const std::string at = "-h " + r.ip + " -p " + std::to_string(port->second);
    return "Try it from another shell (on one node: the nodes do not cluster yet, and the entry point\n"
           "balances each connection to any of them):\n"
           "  mosquitto_sub " + at + " -t 'demo/#' -v\n"
           "  mosquitto_pub " + at + " -t demo/hello -m 'hello from ternmq'\n"
           "  " + cli + " --url " + input.api_url + " plan status deploy\n";
  }
  return "";
}

}  // namespace ternmq::scheduler::runtime
