#include "scheduler/edgelb/haproxy_admin.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <string_view>

namespace ternmq::scheduler::edgelb {
namespace {

// Closes the descriptor on every path.
struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0) ::close(fd);
  }
};

std::optional<pid_t> pid_line(std::string_view reply) {
  constexpr std::string_view k_key = "\nPid: ";
  const auto at = reply.find(k_key);
  if (at == std::string_view::npos) return std::nullopt;
  const char* first = reply.data() + at + k_key.size();
  long pid = 0;
  const auto [end, ec] = std::from_chars(first, reply.data() + reply.size(), pid);
  if (ec != std::errc() || end == first || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

}  // namespace

std::optional<pid_t> admin_socket_pid(const std::string& path, std::chrono::milliseconds timeout) {
  sockaddr_un address{};
  if (path.empty() || path.size() >= sizeof(address.sun_path)) return std::nullopt;
  address.sun_family = AF_UNIX;
  std::copy(path.begin(), path.end(), address.sun_path);
  const fd_guard guard{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (guard.fd < 0) return std::nullopt;
  // A local connect completes or fails at once.
  if (::connect(guard.fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) return std::nullopt;
  constexpr std::string_view k_command = "show info\n";
  if (::send(guard.fd, k_command.data(), k_command.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(k_command.size())) {
    return std::nullopt;
  }
  // HAProxy answers and closes (non-interactive mode); read until then or the deadline.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string reply = "\n";
  char buffer[2048];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{guard.fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::recv(guard.fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    reply.append(buffer, static_cast<std::size_t>(n));
    if (auto pid = pid_line(reply); pid && reply.find('\n', reply.find("\nPid: ") + 1) != std::string::npos) {
      return pid;
    }
  }
  return pid_line(reply);
}

}  // namespace ternmq::scheduler::edgelb
