#include "tests/unit/scheduler/edgelb/echo_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace ternmq::scheduler::edgelb::test {
namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

sockaddr* as_sockaddr(sockaddr_in& a) { return reinterpret_cast<sockaddr*>(&a); }

std::uint16_t bound_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof(a);
  ::getsockname(fd, as_sockaddr(a), &len);
  return ntohs(a.sin_port);
}

// Waits until `fd` is readable (or writable); false on timeout.
bool wait_fd(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
}

}  // namespace

echo_server::echo_server(std::string tag) : tag_(std::move(tag)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto address = loopback(0);
  if (listener_ < 0 || ::bind(listener_, as_sockaddr(address), sizeof(address)) != 0 || ::listen(listener_, 64) != 0) {
    throw std::runtime_error("echo_server: cannot listen on 127.0.0.1");
  }
  port_ = bound_port(listener_);
  acceptor_ = std::thread([this] { accept_loop(); });
}

echo_server::~echo_server() { stop(); }

void echo_server::stop() {
  if (stopping_.exchange(true)) return;
  if (acceptor_.joinable()) acceptor_.join();
  ::close(listener_);
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);  // wakes their workers, which close them
    workers.swap(workers_);
  }
  for (auto& w : workers) w.join();
}

void echo_server::accept_loop() {
  while (!stopping_) {
    if (!wait_fd(listener_, POLLIN, std::chrono::milliseconds(20))) continue;
    const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    connections_.push_back(fd);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void echo_server::serve(int fd) {
  std::string pending;
  char buffer[512];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) break;  // closed by the peer or by stop()
    pending.append(buffer, static_cast<std::size_t>(n));
    bool failed = false;
    for (auto nl = pending.find('\n'); nl != std::string::npos && !failed; nl = pending.find('\n')) {
      const std::string reply = tag_ + ":" + pending.substr(0, nl + 1);
      pending.erase(0, nl + 1);
      failed = ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(reply.size());
    }
    if (failed) break;
  }
  // Closed like a broker closes: at once, when the client has gone. Under the lock, so that stop()
  // never shuts down a descriptor number that has been reused.
  std::lock_guard lock(mutex_);
  std::erase(connections_, fd);
  ::close(fd);
}

std::optional<line_client> line_client::connect(std::uint16_t port, std::chrono::milliseconds timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return std::nullopt;
  line_client client(fd);
  auto address = loopback(port);
  if (::connect(fd, as_sockaddr(address), sizeof(address)) != 0) {
    if (errno != EINPROGRESS || !wait_fd(fd, POLLOUT, timeout)) return std::nullopt;
    int error = 0;
    socklen_t len = sizeof(error);
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) return std::nullopt;
  }
  return client;
}

line_client::line_client(line_client&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

line_client::~line_client() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> line_client::ask(const std::string& line, std::chrono::milliseconds timeout) {
  const std::string out = line + "\n";
  if (::send(fd_, out.data(), out.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(out.size())) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string reply;
  char buffer[512];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !wait_fd(fd_, POLLIN, left)) return std::nullopt;
    const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) return std::nullopt;
    reply.append(buffer, static_cast<std::size_t>(n));
    if (const auto nl = reply.find('\n'); nl != std::string::npos) return reply.substr(0, nl);
  }
}

std::optional<std::string> ask_once(std::uint16_t port, const std::string& line, std::chrono::milliseconds timeout) {
  auto client = line_client::connect(port, timeout);
  if (!client) return std::nullopt;
  return client->ask(line, timeout);
}

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto address = loopback(0);
  if (fd < 0 || ::bind(fd, as_sockaddr(address), sizeof(address)) != 0) throw std::runtime_error("free_port: bind");
  const std::uint16_t port = bound_port(fd);
  ::close(fd);
  return port;
}

}  // namespace ternmq::scheduler::edgelb::test
