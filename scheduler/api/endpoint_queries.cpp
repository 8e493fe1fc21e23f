// /v1/endpoints answers: advertised ports of the target spec joined with the task records.
#include "scheduler/api/endpoint_queries.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <tuple>

#include "scheduler/dns/dcos_names.hpp"
#include "scheduler/dns/mesos_dns.hpp"

namespace ternmq::scheduler::api {
namespace {

using nlohmann::json;

// The advertised port `name` of some task of the target, with the task that declares it.
struct advertised_port {
  const model::pod_spec* pod = nullptr;
  const model::task_spec* task = nullptr;
  const model::port_spec* port = nullptr;
};

std::vector<advertised_port> advertised(const model::service_spec& target, std::string_view name) {
  std::vector<advertised_port> out;
  for (const model::pod_spec& pod : target.pods) {
    for (const model::task_spec& task : pod.tasks) {
      const model::port_spec* port = task.find_port(name);
      if (port == nullptr) {
        if (const model::resource_set_spec* set = pod.find_resource_set(task.resource_set)) {
          const auto it = std::find_if(set->ports.begin(), set->ports.end(),
                                       [&](const model::port_spec& p) { return p.name == name; });
          if (it != set->ports.end()) port = &*it;
        }
      }
      if (port != nullptr && port->advertise) out.push_back({&pod, &task, port});
    }
  }
  return out;
}

std::size_t pod_rank(const model::service_spec& target, const std::string& type) {
  for (std::size_t i = 0; i < target.pods.size(); ++i) {
    if (target.pods[i].type == type) return i;
  }
  return target.pods.size();
}

}  // namespace

response list_endpoints(const model::service_spec& target) {
  std::set<std::string> names;
  auto add = [&](const std::vector<model::port_spec>& ports) {
    for (const model::port_spec& p : ports) {
      if (p.advertise) names.insert(p.name);
    }
  };
  for (const model::pod_spec& pod : target.pods) {
    for (const model::task_spec& task : pod.tasks) add(task.ports);
    for (const model::resource_set_spec& set : pod.resource_sets) add(set.ports);
  }
  return json_answer(200, names);
}

response get_endpoint(const model::service_spec& target, std::vector<state::task_record> tasks, std::string_view name) {
  const std::vector<advertised_port> ports = advertised(target, name);
  if (ports.empty()) return text_answer(404, "");

  std::sort(tasks.begin(), tasks.end(), [&](const state::task_record& a, const state::task_record& b) {
    return std::make_tuple(pod_rank(target, a.pod_type), a.pod_type, a.pod_index, a.task_name) <
           std::make_tuple(pod_rank(target, b.pod_type), b.pod_type, b.pod_index, b.task_name);
  });
  json address = json::array();
  json dns_names = json::array();
  json srv = json::array();
  for (const state::task_record& t : tasks) {
    const auto host_port = t.ports.find(std::string(name));
    if (host_port == t.ports.end()) continue;
    const auto declared = std::find_if(ports.begin(), ports.end(), [&](const advertised_port& p) {
      return p.pod->type == t.pod_type && p.task->name == t.task;
    });
    if (declared == ports.end()) continue;  // a task of a pod type or task the target no longer advertises
    const std::string discovery = dns::discovery_name(*declared->task, t.pod_type, t.pod_index);
    const std::string host = t.ip.empty() ? t.hostname : t.ip;
    const std::string protocol = declared->port->vip ? declared->port->vip->protocol : "tcp";
    address.push_back(host + ":" + std::to_string(host_port->second));
    dns_names.push_back(dns::autoip_endpoint(discovery, target.name, host_port->second));
    srv.push_back(dns::named_srv_record(name, discovery, target.name, protocol));
  }
  json out{{"address", std::move(address)}, {"dns", std::move(dns_names)}, {"srv", std::move(srv)}};
  if (const auto& vip = ports.front().port->vip) out["vip"] = dns::vip_endpoint(vip->prefix, target.name, vip->port);
  return json_answer(200, std::move(out));
}

}  // namespace ternmq::scheduler::api
