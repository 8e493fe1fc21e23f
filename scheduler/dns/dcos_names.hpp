// The `.thisdcos.directory` names dcos-net answers for a service (not Mesos-DNS): the autoip
// names of tasks, which the SDK lists as `dns` in /v1/endpoints and gives tasks as `FRAMEWORK_HOST`,
// and the L4LB named-VIP names (`mqtt.ternmq.l4lb.thisdcos.directory:1883`), which the SDK lists as
// `vip` and gives tasks as `FRAMEWORK_VIP_HOST`. Pure; thread-safe.
//
// Autoip: dcos-net sanitises the task part and the service part each as a single label, so dots
// become dashes and slashes vanish: service `/prod/mqtt` -> `prodmqtt`, `mqtt.prod` -> `mqtt-prod`.
// The SDK computes "service with '.'->'-' and '/' removed"; for every valid DC/OS service name
// (lower-case letters, digits, `-`, `.`, `/`) both give the same name, and for others this gives the
// name dcos-net actually serves.
//
// VIPs: each part goes through `domain_frag`, so dots stay label separators and slashes vanish
// (dcos-net `to_name/1`; the SDK's `EndpointUtils.toVipHostname` removes slashes).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ternmq::scheduler::dns {

inline constexpr std::string_view k_autoip_tld = "autoip.dcos.thisdcos.directory";
inline constexpr std::string_view k_vip_tld = "l4lb.thisdcos.directory";

// "<service as one label>.autoip.dcos.thisdcos.directory": the task environment's FRAMEWORK_HOST.
std::string autoip_domain(std::string_view service_name);
// "<discovery name as one label>.<autoip domain>": a task's stable name, wherever it runs.
std::string autoip_hostname(std::string_view discovery_name, std::string_view service_name);
// "<autoip hostname>:<port>": one `dns` entry of /v1/endpoints/<name>.
std::string autoip_endpoint(std::string_view discovery_name, std::string_view service_name, std::uint16_t port);

// "<service fragment>.l4lb.thisdcos.directory": the task environment's FRAMEWORK_VIP_HOST.
std::string framework_vip_host(std::string_view service_name);
// "<prefix fragment>.<service fragment>.l4lb.thisdcos.directory": a named VIP's hostname.
std::string vip_hostname(std::string_view vip_prefix, std::string_view service_name);
// "<vip hostname>:<vip port>": the `vip` entry of /v1/endpoints/<name>.
std::string vip_endpoint(std::string_view vip_prefix, std::string_view service_name, std::uint16_t vip_port);

}  // namespace ternmq::scheduler::dns
