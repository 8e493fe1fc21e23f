// ternmq-admin: vmq-admin's cluster commands for a TernMQ node. Reads the node's ternmq.conf
// for its nodename, distributed_cookie and cluster listener, authenticates on that listener with
// the cluster handshake as an admin client, sends one request and prints the answer.
//
//   ternmq-admin --config ternmq.conf cluster show
//   ternmq-admin --config ternmq.conf cluster join discovery-node=NAME@HOST:PORT
//   ternmq-admin --config ternmq.conf cluster leave node=NAME
//
// Exit codes: 0 done, 1 the node answered with an error (on stderr), 2 usage, 3 the node could
// not be reached or refused us (wrong cookie, another node at that address).
#include <unistd.h>

#include <chrono>
#include <deque>
#include <iostream>
#include <optional>
#include <variant>
#include <array>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "broker/cluster/handshake.hpp"
#include "broker/cluster/proof.hpp"
#include "broker/config/broker_config.hpp"

namespace {

namespace asio = boost::asio;
using namespace ternmq;

constexpr auto k_timeout = std::chrono::seconds(20);

void usage(std::ostream& out) {
  out << "usage: ternmq-admin --config FILE [--node HOST:PORT] cluster show\n"
         "       ternmq-admin --config FILE [--node HOST:PORT] cluster join discovery-node=NAME@HOST:PORT\n"
         "       ternmq-admin --config FILE [--node HOST:PORT] cluster leave node=NAME\n"
         "  --config FILE     the node's ternmq.conf (nodename, distributed_cookie, listener.vmq.*)\n"
         "  --node HOST:PORT  the node's cluster listener, when the file cannot say (port 0)\n"
         "  discovery-node    a member's node name and cluster listener port, e.g. n1@10.0.0.7:44053\n";
}

struct failure {
  int code;
  std::string message;
};

// One blocking conversation with the node, each step bounded by the overall deadline.
class admin_client {
 public:
  admin_client(std::string host, std::string port) : host_(std::move(host)), port_(std::move(port)) {}

  std::optional<failure> connect() {
    asio::ip::tcp::resolver resolver(io_);
    boost::system::error_code ec;
    const auto results = resolver.resolve(host_, port_, ec);
    if (ec) return failure{3, "cannot resolve " + host_ + ": " + ec.message()};
    bool done = false;
    asio::async_connect(socket_, results, [&](const boost::system::error_code& e, const asio::ip::tcp::endpoint&) {
      ec = e;
      done = true;
    });
    if (!run_until(done)) return failure{3, "cannot reach " + where() + ": timed out"};
    if (ec) return failure{3, "cannot reach " + where() + ": " + ec.message()};
    return std::nullopt;
  }

  std::optional<failure> send(const cluster::message& m) {
    auto bytes = cluster::encode(m);
    if (!bytes) return failure{1, bytes.err().message};
    boost::system::error_code ec;
    bool done = false;
    asio::async_write(socket_, asio::buffer(*bytes), [&](const boost::system::error_code& e, std::size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(done)) return failure{3, where() + ": timed out"};
    if (ec) return failure{3, where() + ": " + ec.message()};
    return std::nullopt;
  }

  // The next message, or why there is none.
  std::variant<cluster::message, failure> receive() {
    while (frames_.empty()) {
      std::array<char, 4096> buf{};
      boost::system::error_code ec;
      std::size_t n = 0;
      bool done = false;
      socket_.async_read_some(asio::buffer(buf), [&](const boost::system::error_code& e, std::size_t k) {
        ec = e;
        n = k;
        done = true;
      });
      if (!run_until(done)) return failure{3, where() + ": no answer (timed out)"};
      if (ec) return failure{3, where() + " closed the connection: " + ec.message()};
      auto frames = decoder_.feed(std::string_view(buf.data(), n));
      if (!frames) return failure{3, where() + ": " + frames.err().message};
      for (auto& f : *frames) frames_.push_back(std::move(f));
    }
    auto m = cluster::decode(frames_.front());
    frames_.pop_front();
    if (!m) return failure{3, where() + ": " + m.err().message};
    return std::move(m).value();
  }

  void authenticated() { decoder_.set_max_frame_size(cluster::k_default_max_frame_size); }
  std::string where() const { return host_ + ":" + port_; }

 private:
  bool run_until(const bool& done) {
    io_.restart();
    while (!done && std::chrono::steady_clock::now() < deadline_) {
      if (io_.run_one_until(deadline_) == 0 && io_.stopped()) break;
    }
    if (done) return true;
    boost::system::error_code ignored;
    socket_.close(ignored);
    io_.restart();
    io_.run();
    return false;
  }

  std::string host_;
  std::string port_;
  asio::io_context io_;
  asio::ip::tcp::socket socket_{io_};
  cluster::frame_decoder decoder_{cluster::k_handshake_max_frame_size};
  std::deque<cluster::frame> frames_;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::now() + k_timeout;
};

// `cluster show` as vmq-admin prints it.
void print_members(const std::vector<cluster::member_status>& members) {
  std::size_t width = 4;
  for (const auto& m : members) width = std::max(width, m.nodename.size());
  const std::string rule = "+" + std::string(width + 2, '-') + "+---------+\n";
  const auto row = [&](const std::string& node, const std::string& running) {
    std::cout << "| " << node << std::string(width - node.size(), ' ') << " | " << running
              << std::string(7 - running.size(), ' ') << " |\n";
  };
  std::cout << rule;
  row("Node", "Running");
  std::cout << rule;
  for (const auto& m : members) row(m.nodename, m.running ? "true" : "false");
  std::cout << rule;
}

// The request named by the command words, or a usage error.
std::variant<cluster::admin_request, std::string> parse_command(const std::vector<std::string>& words) {
  if (words.size() < 2 || words[0] != "cluster") return std::string("expected a cluster command");
  const std::string& verb = words[1];
  const auto value_of = [&](const std::string& key) -> std::optional<std::string> {
    for (std::size_t i = 2; i < words.size(); ++i) {
      if (words[i].rfind(key + "=", 0) == 0) return words[i].substr(key.size() + 1);
    }
    return std::nullopt;
  };
  if (verb == "show") {
    if (words.size() != 2) return std::string("cluster show takes no arguments");
    return cluster::admin_request{cluster::admin_command::cluster_show, ""};
  }
  if (verb == "join") {
    auto target = value_of("discovery-node");
    if (!target || words.size() != 3) return std::string("cluster join needs discovery-node=NAME@HOST:PORT");
    return cluster::admin_request{cluster::admin_command::cluster_join, *target};
  }
  if (verb == "leave") {
    for (std::size_t i = 2; i < words.size(); ++i) {
      if (words[i].starts_with("-")) {
        return "cluster leave " + words[i] +
               ": queue migration options (-k, -i, -t) are not supported yet; leave marks the node as left and "
               "does not move its sessions";
      }
    }
    auto node = value_of("node");
    if (!node || words.size() != 3) return std::string("cluster leave needs node=NAME");
    return cluster::admin_request{cluster::admin_command::cluster_leave, *node};
  }
  return "unknown cluster command '" + verb + "'";
}

// Where the node's cluster listener is, from the file or from --node.
std::variant<std::pair<std::string, std::string>, std::string> node_address(const config::broker_config& cfg,
                                                                          const std::string& override_address) {
  std::string address = override_address;
  if (address.empty()) {
    if (cfg.cluster_listeners.empty()) return cfg.source_file + ": no listener.vmq.* (cluster listener) configured";
    const auto& l = cfg.cluster_listeners.front();
    if (l.port == 0) return cfg.source_file + ": listener.vmq." + l.name + " has port 0: pass --node HOST:PORT";
    std::string host = l.address;
    if (host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::") host = "::1";
    return std::make_pair(host, std::to_string(l.port));
  }
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) return "--node: expected HOST:PORT, got '" + address + "'";
  std::string host = address.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::make_pair(host, address.substr(colon + 1));
}

int run(const config::broker_config& cfg, const std::string& host, const std::string& port,
        const cluster::admin_request& request) {
  const auto fail = [](const failure& f) {
    std::cerr << "ternmq-admin: " << f.message << "\n";
    return f.code;
  };
  admin_client client(host, port);
  if (auto f = client.connect()) return fail(*f);
  const cluster::handshake_config me{"admin-" + std::to_string(::getpid()) + "@ternmq-admin", cfg.distributed_cookie};
  cluster::client_handshake handshake(me, cluster::random_nonce(), cfg.nodename);
  while (handshake.state() == cluster::handshake_state::waiting) {
    auto m = client.receive();
    if (auto* f = std::get_if<failure>(&m)) return fail(*f);
    auto reply = handshake.on_message(std::get<cluster::message>(m));
    if (reply) {
      if (auto f = client.send(*reply)) return fail(*f);
    }
  }
  if (handshake.state() == cluster::handshake_state::refused) {
    return fail({3, client.where() + ": authentication " + (handshake.refused_by_peer() ? "refused by the node" : "failed") +
                        " (" + cluster::to_string(handshake.reason()) + "): " + handshake.detail()});
  }
  client.authenticated();
  if (auto f = client.send(request)) return fail(*f);
  auto m = client.receive();
  if (auto* f = std::get_if<failure>(&m)) return fail(*f);
  const auto* reply = std::get_if<cluster::admin_reply>(&std::get<cluster::message>(m));
  if (!reply) return fail({3, client.where() + ": unexpected answer"});
  if (!reply->ok) return fail({1, reply->detail});
  if (request.command == cluster::admin_command::cluster_show) {
    print_members(reply->members);
  } else {
    std::cout << "Done\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  std::string node;
  std::vector<std::string> words;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (arg == "--node" && i + 1 < argc) {
      node = argv[++i];
    } else if (arg == "--help" || arg == "-h") {
      usage(std::cout);
      return 0;
    } else {
      words.push_back(arg);
    }
  }
  auto request = parse_command(words);
  if (config_path.empty() || std::holds_alternative<std::string>(request)) {
    if (auto* why = std::get_if<std::string>(&request)) std::cerr << "ternmq-admin: " << *why << "\n";
    if (config_path.empty()) std::cerr << "ternmq-admin: --config FILE is required\n";
    usage(std::cerr);
    return 2;
  }
  auto cfg = config::load_broker_config(config_path);
  if (!cfg) {
    std::cerr << "ternmq-admin: " << cfg.err().message << "\n";
    return 2;
  }
  auto address = node_address(*cfg, node);
  if (auto* why = std::get_if<std::string>(&address)) {
    std::cerr << "ternmq-admin: " << *why << "\n";
    return 2;
  }
  const auto& [host, port] = std::get<std::pair<std::string, std::string>>(address);
  return run(*cfg, host, port, std::get<cluster::admin_request>(request));
}
