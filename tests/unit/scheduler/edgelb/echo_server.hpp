// Test helpers for the HAProxy tests: a tiny line-echo TCP server standing in for a broker node,
// a client that asks one line through a port, and a free-port picker. Everything binds 127.0.0.1
// only. The server answers each line "L\n" with "<tag>:L\n", so a test can tell which node a
// connection reached.
//
// An echo_server runs one thread to accept and one per connection, which closes its connection as
// soon as the client has closed its side (as a broker does: HAProxy waits for that before it lets
// a session go). `stop` (and the destructor) closes the listener and every connection and joins
// all the threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ternmq::scheduler::edgelb::test {

class echo_server {
 public:
  explicit echo_server(std::string tag);
  ~echo_server();
  echo_server(const echo_server&) = delete;
  echo_server& operator=(const echo_server&) = delete;

  const std::string& tag() const { return tag_; }
  std::uint16_t port() const { return port_; }
  // Closes the listener and all connections, as a stopped node would.
  void stop();

 private:
  void accept_loop();
  void serve(int fd);

  std::string tag_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mutex_;  // guards connections_ and workers_
  std::vector<int> connections_;
  std::vector<std::thread> workers_;
};

// A connected client socket; closed by the destructor.
class line_client {
 public:
  // Connects to 127.0.0.1:`port`; nullopt when refused or not answered within `timeout`.
  static std::optional<line_client> connect(std::uint16_t port, std::chrono::milliseconds timeout);
  line_client(line_client&& other) noexcept;
  line_client& operator=(line_client&&) = delete;
  line_client(const line_client&) = delete;
  line_client& operator=(const line_client&) = delete;
  ~line_client();

  // Sends `line` and a newline, then reads one line back (without its newline); nullopt on error,
  // end of stream or `timeout`.
  std::optional<std::string> ask(const std::string& line, std::chrono::milliseconds timeout);

 private:
  explicit line_client(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Connects, asks one line, disconnects: the reply, or nullopt.
std::optional<std::string> ask_once(std::uint16_t port, const std::string& line,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(2));

// A port that was free on 127.0.0.1 a moment ago (bound to port 0, read, closed).
std::uint16_t free_port();

}  // namespace ternmq::scheduler::edgelb::test
