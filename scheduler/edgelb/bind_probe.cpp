#include "scheduler/edgelb/bind_probe.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>

namespace ternmq::scheduler::edgelb {
namespace {

// "1.2.3.4:80" or "[::1]:80" into an address; nothing for other forms.
std::optional<bind_address> parse_endpoint(std::string_view token) {
  const auto colon = token.rfind(':');
  if (colon == std::string_view::npos || token.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view host = token.substr(0, colon);
  const std::string_view port_text = token.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    return std::nullopt;
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";  // HAProxy's `bind :80`
  return bind_address{std::string(host), static_cast<std::uint16_t>(port)};
}

}  // namespace

std::vector<bind_address> config_binds(std::string_view config) {
  std::vector<bind_address> out;
  std::istringstream lines{std::string(config)};
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string keyword;
    std::string endpoint;
    if (!(words >> keyword >> endpoint) || keyword != "bind") continue;
    if (auto address = parse_endpoint(endpoint)) out.push_back(std::move(*address));
  }
  return out;
}

core::status probe_bind(const bind_address& address) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family = AF_INET;
  if (auto* v4 = reinterpret_cast<sockaddr_in*>(&storage); ::inet_pton(AF_INET, address.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(address.port);
    length = sizeof(sockaddr_in);
  } else if (auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
             ::inet_pton(AF_INET6, address.host.c_str(), &v6->sin6_addr) == 1) {
    family = AF_INET6;
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(address.port);
    length = sizeof(sockaddr_in6);
  } else {
    return core::status::failure("\"" + address.host + "\" is not an IP address");
  }
  const std::string where = address.host + ":" + std::to_string(address.port);
  const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return core::status::failure("cannot probe " + where + ": " + std::strerror(errno));
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
  if (family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
  const bool bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&storage), length) == 0;
  const int error = errno;
  ::close(fd);
  if (!bound) return core::status::failure("cannot bind " + where + ": " + std::strerror(error));
  return core::status::success();
}

}  // namespace ternmq::scheduler::edgelb
