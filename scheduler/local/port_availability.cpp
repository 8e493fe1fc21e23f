// Port probing by bind(2) and the subtraction of taken ports from a range.
#include "scheduler/local/port_availability.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ternmq::scheduler::local {

bool can_bind(const std::string& ip, std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  if (::inet_pton(AF_INET, ip.c_str(), &address.sin_addr) != 1) return false;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  const bool bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return bound;
}

std::vector<model::port_range> free_port_ranges(model::port_range range, const std::set<std::uint16_t>& used,
                                                const port_probe& bindable) {
  std::vector<model::port_range> ranges;
  bool open = false;
  // An int loop variable: a range ending at 65535 must not wrap around.
  for (int port = range.begin; port <= range.end; ++port) {
    const auto p = static_cast<std::uint16_t>(port);
    const bool free = p != 0 && !used.contains(p) && bindable(p);
    if (free && open) {
      ranges.back().end = p;
    } else if (free) {
      ranges.push_back({p, p});
      open = true;
    } else {
      open = false;
    }
  }
  return ranges;
}

}  // namespace ternmq::scheduler::local
