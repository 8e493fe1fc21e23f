// Mesos-DNS label rules and record names (see mesos_dns.hpp).
#include "scheduler/dns/mesos_dns.hpp"

#include "scheduler/model/names.hpp"

namespace ternmq::scheduler::dns {
namespace {

constexpr std::size_t k_max_label = 63;  // RFC1123; Mesos-DNS's RFC952 mode (24) is not used on DC/OS

}  // namespace

std::string sanitize_label(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else if (c == '-' || c == '.' || c == '_') {
      out.push_back('-');
    }
  }
  const std::size_t first = out.find_first_not_of('-');
  if (first == std::string::npos) return {};
  out.erase(0, first);
  if (out.size() > k_max_label) out.resize(k_max_label);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string domain_frag(std::string_view name) {
  std::string out;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string label = sanitize_label(name.substr(start, end - start));
    if (!label.empty()) {
      if (!out.empty()) out.push_back('.');
      out += label;
    }
    start = end + 1;
  }
  return out;
}

std::string discovery_name(const model::task_spec& task, std::string_view pod_type, std::uint32_t index) {
  if (task.discovery && !task.discovery->prefix.empty()) {
    return task.discovery->prefix + "-" + std::to_string(index);
  }
  return model::task_name(pod_type, index, task.name);
}

std::string task_hostname(std::string_view discovery_name, std::string_view framework_name) {
  return sanitize_label(discovery_name) + "." + domain_frag(framework_name) + ".mesos";
}

std::string named_srv_record(std::string_view port_name, std::string_view discovery_name,
                             std::string_view framework_name, std::string_view protocol) {
  return "_" + sanitize_label(port_name) + "._" + sanitize_label(discovery_name) + "._" + sanitize_label(protocol) +
         "." + domain_frag(framework_name) + ".mesos.";
}

}  // namespace ternmq::scheduler::dns
