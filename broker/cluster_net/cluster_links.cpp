// Dialling members, redialling with backoff, and the one-second tick that pings every link and
// drops silent ones; see cluster_service.hpp and broker/cluster/link_rules.hpp.
#include <algorithm>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "broker/cluster_net/cluster_service.hpp"
#include "core/base/log.hpp"

namespace ternmq::cluster_net {
namespace {

// A dial that neither connects nor fails in this time is abandoned (a blackholed address).
constexpr auto k_connect_timeout = std::chrono::seconds(5);
// An accepted link must authenticate and say what it is for within this time.
constexpr auto k_classify_timeout = std::chrono::seconds(10);
// An admin session (a join waits for a dial and the member exchange) ends after this time.
constexpr auto k_admin_timeout = std::chrono::seconds(30);

struct host_port {
  std::string host;
  std::string port;
};

// REQUIRES: a valid cluster address (checked when it entered the member list).
host_port split_address(const std::string& address) {
  const auto colon = address.rfind(':');
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return {host, address.substr(colon + 1)};
}

}  // namespace

bool cluster_service::link_up(const std::string& nodename) const {
  auto it = peers_.find(nodename);
  return it != peers_.end() && it->second->open();
}

void cluster_service::ensure_links() {
  if (stopped_ || !members_.is_member(cfg_.nodename)) return;
  for (const auto& m : members_.peers_to_connect()) {
    if (link_up(m.nodename)) continue;
    auto& ds = dials_[m.nodename];
    if (ds.in_progress || ds.timer) continue;
    const bool handshaking = std::any_of(links_.begin(), links_.end(), [&](const auto& l) {
      return l.first->we_dialled() && l.first->peer() == m.nodename && l.first->open();
    });
    if (!handshaking) dial(m.nodename, m.address, nullptr);
  }
}

void cluster_service::dial(const std::string& nodename, const std::string& address,
                           std::function<void(const std::string& error)> on_joined) {
  dials_[nodename].in_progress = true;
  const auto target = split_address(address);
  auto resolver = std::make_shared<boost::asio::ip::tcp::resolver>(io_);
  auto socket = std::make_shared<boost::asio::ip::tcp::socket>(io_);
  auto deadline = std::make_shared<boost::asio::steady_timer>(io_, k_connect_timeout);
  deadline->async_wait([resolver, socket](const boost::system::error_code& ec) {
    if (ec) return;
    resolver->cancel();
    boost::system::error_code ignored;
    socket->close(ignored);
  });
  auto failed = [this, nodename, address, on_joined, deadline](const std::string& why) {
    deadline->cancel();
    if (auto it = dials_.find(nodename); it != dials_.end()) it->second.in_progress = false;
    TERNMQ_LOG(debug) << "cluster: cannot reach " << nodename << " at " << address << ": " << why;
    if (on_joined) on_joined("cannot reach " + nodename + " at " + address + ": " + why);
    if (!stopped_) schedule_redial(nodename);
  };
  resolver->async_resolve(
      target.host, target.port,
      [this, nodename, on_joined, resolver, socket, deadline, failed](
          const boost::system::error_code& ec, const boost::asio::ip::tcp::resolver::results_type& results) {
        if (stopped_) return;
        if (ec) return failed(ec == boost::asio::error::operation_aborted ? "timed out" : ec.message());
        boost::asio::async_connect(
            *socket, results,
            [this, nodename, on_joined, socket, deadline, failed](const boost::system::error_code& cec,
                                                                   const boost::asio::ip::tcp::endpoint&) {
              if (stopped_) return;
              if (cec) return failed(cec == boost::asio::error::operation_aborted ? "timed out" : cec.message());
              deadline->cancel();
              if (auto it = dials_.find(nodename); it != dials_.end()) it->second.in_progress = false;
              auto link = peer_link::dialled(std::move(*socket), handshake_, nodename, *this);
              links_[link] = link_info{link_role::unclassified, on_joined};
              link->start();
            });
      });
}

void cluster_service::schedule_redial(const std::string& nodename) {
  if (stopped_ || !members_.is_member(cfg_.nodename) || !members_.is_member(nodename) ||
      nodename == cfg_.nodename || link_up(nodename)) {
    return;
  }
  auto& ds = dials_[nodename];
  if (ds.timer) return;
  const auto delay = ds.backoff.next_delay();
  ds.timer = std::make_unique<boost::asio::steady_timer>(io_, delay);
  ds.timer->async_wait([this, nodename](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    if (auto it = dials_.find(nodename); it != dials_.end()) it->second.timer.reset();
    ensure_links();
  });
}

void cluster_service::tick() {
  tick_timer_.expires_after(cluster::k_ping_interval);
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::pair<std::shared_ptr<peer_link>, std::string>> to_close;
    for (const auto& [link, info] : links_) {
      if (!link->open()) continue;
      if (info.role == link_role::peer) {
        if (auto seq = link->liveness().tick()) {
          link->send(cluster::ping{*seq});
        } else {
          to_close.emplace_back(link, "no answer to " + std::to_string(cluster::k_max_missed_pongs) + " pings");
        }
      } else if (info.role == link_role::unclassified && now - link->opened_at() > k_classify_timeout) {
        to_close.emplace_back(link, "handshake timed out");
      } else if (info.role == link_role::admin && now - link->opened_at() > k_admin_timeout) {
        to_close.emplace_back(link, "admin session timed out");
      }
    }
    for (const auto& [link, why] : to_close) link->close(why);
    tick();
  });
}

}  // namespace ternmq::cluster_net
