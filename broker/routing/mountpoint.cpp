#include "broker/routing/mountpoint.hpp"

#include "broker/topic/topic.hpp"

namespace ternmq::routing {

std::string mount(std::string_view mountpoint, std::string_view topic) {
  if (mountpoint.empty()) return std::string(topic);
  if (auto shared = topic::parse_shared(topic)) {
    std::string out = "$share/" + shared->group + "/";
    out.append(k_mount_prefix).append(mountpoint).push_back('/');
    return out.append(shared->filter);
  }
  std::string out(k_mount_prefix);
  out.append(mountpoint).push_back('/');
  return out.append(topic);
}

std::string_view unmount(std::string_view mountpoint, std::string_view full) {
  if (mountpoint.empty()) return full;
  const std::size_t prefix = k_mount_prefix.size() + mountpoint.size() + 1;
  return full.size() >= prefix ? full.substr(prefix) : full;
}

bool is_mount_space(std::string_view topic) {
  if (auto shared = topic::parse_shared(topic)) return shared->filter.starts_with(k_mount_prefix);
  return topic.starts_with(k_mount_prefix);
}

}  // namespace ternmq::routing
