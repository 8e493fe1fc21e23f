// dcos-net autoip and L4LB VIP names, built on the Mesos-DNS label rules (see dcos_names.hpp).
#include "scheduler/dns/dcos_names.hpp"

#include "scheduler/dns/mesos_dns.hpp"

namespace ternmq::scheduler::dns {

std::string autoip_domain(std::string_view service_name) {
  return sanitize_label(service_name) + "." + std::string(k_autoip_tld);
}

std::string autoip_hostname(std::string_view discovery_name, std::string_view service_name) {
  return sanitize_label(discovery_name) + "." + autoip_domain(service_name);
}

std::string autoip_endpoint(std::string_view discovery_name, std::string_view service_name, std::uint16_t port) {
  return autoip_hostname(discovery_name, service_name) + ":" + std::to_string(port);
}

std::string framework_vip_host(std::string_view service_name) {
  return domain_frag(service_name) + "." + std::string(k_vip_tld);
}

std::string vip_hostname(std::string_view vip_prefix, std::string_view service_name) {
  return domain_frag(vip_prefix) + "." + framework_vip_host(service_name);
}

std::string vip_endpoint(std::string_view vip_prefix, std::string_view service_name, std::uint16_t vip_port) {
  return vip_hostname(vip_prefix, service_name) + ":" + std::to_string(vip_port);
}

}  // namespace ternmq::scheduler::dns
