// Cluster listeners, link lifecycle and the membership exchange; see cluster_service.hpp.
// Dialling and pings are in cluster_links.cpp, admin sessions in cluster_admin.cpp.
#include "broker/cluster_net/cluster_service.hpp"

#include <boost/asio/post.hpp>

#include "core/base/log.hpp"

namespace ternmq::cluster_net {
namespace {

// The address peers dial: the bound one, or the nodename's host when bound to any address.
std::string advertised_address(const boost::asio::ip::tcp::endpoint& bound, const std::string& nodename) {
  const auto a = bound.address();
  std::string host = a.to_string();
  if (a.is_unspecified()) {
    host = nodename.substr(nodename.find('@') + 1);
  } else if (a.is_v6()) {
    host = "[" + host + "]";
  }
  return host + ":" + std::to_string(bound.port());
}

}  // namespace

cluster_service::cluster_service(boost::asio::io_context& io, const config::broker_config& cfg, core::kv::kv_store& kv)
    : io_(io), cfg_(cfg), handshake_{cfg.nodename, cfg.distributed_cookie}, store_(kv), members_(cfg.nodename),
      tick_timer_(io) {}

cluster_service::~cluster_service() = default;

std::uint64_t cluster_service::now_ms() const {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

core::result<std::vector<std::string>> cluster_service::open() {
  if (auto valid = cluster::validate(handshake_); !valid.ok()) return core::error{1, "clustering: " + valid.message()};
  std::vector<std::string> lines;
  for (const auto& l : cfg_.cluster_listeners) {
    const std::string where = "listener.vmq." + l.name + " (" + l.address + ":" + std::to_string(l.port) + ")";
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(l.address, ec);
    if (ec) return core::error{1, where + ": not an IP address"};
    const boost::asio::ip::tcp::endpoint ep(address, l.port);
    auto acceptor = std::make_unique<boost::asio::ip::tcp::acceptor>(io_);
    acceptor->open(ep.protocol(), ec);
    if (!ec) acceptor->set_option(boost::asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor->bind(ep, ec);
    if (!ec) acceptor->listen(boost::asio::socket_base::max_listen_connections, ec);
    const auto bound = ec ? ep : acceptor->local_endpoint(ec);
    if (ec) return core::error{1, where + ": " + ec.message()};
    if (address_.empty()) address_ = advertised_address(bound, cfg_.nodename);
    lines.push_back("vmq." + l.name + " listening on " + bound.address().to_string() + ":" + std::to_string(bound.port()));
    acceptors_.push_back(std::move(acceptor));
  }

  auto stored = store_.load();
  if (!stored) return core::error{1, "cluster member list: " + stored.err().message};
  if (auto merged = members_.merge(*stored, now_ms()); !merged) {
    return core::error{1, "cluster member list: " + merged.err().message};
  }
  // A fresh node is a cluster of one. A restarted member whose listener moved tells its peers
  // the new address with a newer write; a node that was made to leave stays out.
  const auto self = members_.find(cfg_.nodename);
  if (!self || (self->state == cluster::member_state::joined && self->address != address_)) {
    (void)members_.join(cfg_.nodename, address_, now_ms());
    persist();
  }
  TERNMQ_LOG(info) << "cluster: " << cfg_.nodename << " at " << address_ << ", " << members_.members().size()
                   << " member(s) known";
  return lines;
}

void cluster_service::start() {
  boost::asio::post(io_, [this] {
    for (std::size_t i = 0; i < acceptors_.size(); ++i) do_accept(i);
    ensure_links();
    tick();
  });
}

void cluster_service::stop() {
  boost::asio::post(io_, [this] {
    stopped_ = true;
    boost::system::error_code ignored;
    for (auto& a : acceptors_) a->close(ignored);
    tick_timer_.cancel();
    dials_.clear();
    std::vector<std::shared_ptr<peer_link>> open;
    for (const auto& [link, info] : links_) open.push_back(link);
    for (const auto& link : open) link->close("node stopping");
  });
}

void cluster_service::do_accept(std::size_t index) {
  acceptors_[index]->async_accept([this, index](const boost::system::error_code& ec, boost::asio::ip::tcp::socket s) {
    if (stopped_ || ec == boost::asio::error::operation_aborted) return;
    if (ec) {
      TERNMQ_LOG(warning) << "cluster listener: accept failed: " << ec.message();
    } else {
      auto link = peer_link::accepted(std::move(s), handshake_, *this);
      links_[link] = link_info{};
      link->start();
    }
    do_accept(index);
  });
}

// --- link events -------------------------------------------------------------------------------

void cluster_service::on_authenticated(const std::shared_ptr<peer_link>& link) {
  if (!link->we_dialled()) return;  // the peer's first message says what the link is for
  register_peer_link(link);
  if (!link->open()) return;
  if (links_[link].on_joined) link->send(cluster::join{cfg_.nodename, address_});
  link->send(full_list());
}

void cluster_service::on_message(const std::shared_ptr<peer_link>& link, const cluster::message& m) {
  auto it = links_.find(link);
  if (it == links_.end()) return;
  switch (it->second.role) {
    case link_role::unclassified: on_first_message(link, m); return;
    case link_role::peer: on_peer_message(link, m); return;
    case link_role::admin: link->close("unexpected message in an admin session"); return;
  }
}

void cluster_service::on_first_message(const std::shared_ptr<peer_link>& link, const cluster::message& m) {
  if (const auto* r = std::get_if<cluster::admin_request>(&m)) {
    links_[link].role = link_role::admin;
    on_admin_request(link, *r);
  } else if (const auto* j = std::get_if<cluster::join>(&m)) {
    accept_join(link, *j);
  } else if (const auto* list = std::get_if<cluster::members>(&m)) {
    if (members_.is_member(cfg_.nodename) && members_.is_member(link->peer())) {
      register_peer_link(link);
      if (!link->open()) return;
      link->send(full_list());
      merge_members(link, *list);
    } else {
      // Not a member (made to leave, or never joined): our list tells it so; no link is kept.
      link->send(full_list());
      link->close_after_flush("not a member of our cluster");
    }
  } else {
    link->close(std::string("unexpected first message ") + cluster::to_string(cluster::type_of(m)));
  }
}

void cluster_service::on_peer_message(const std::shared_ptr<peer_link>& link, const cluster::message& m) {
  if (const auto* p = std::get_if<cluster::ping>(&m)) {
    link->send(cluster::pong{p->seq});
  } else if (const auto* answer = std::get_if<cluster::pong>(&m)) {
    link->liveness().on_pong(answer->seq);
  } else if (const auto* list = std::get_if<cluster::members>(&m)) {
    merge_members(link, *list);
  } else if (const auto* j = std::get_if<cluster::join>(&m)) {
    accept_join(link, *j);
  } else if (std::holds_alternative<cluster::admin_request>(m) || std::holds_alternative<cluster::hello>(m) ||
             std::holds_alternative<cluster::auth>(m)) {
    link->close(std::string("unexpected ") + cluster::to_string(cluster::type_of(m)) + " on a peer link");
  } else {
    // Metadata, publish and takeover messages belong to cluster routing, not wired yet.
    TERNMQ_LOG(debug) << "cluster link to " << link->peer() << ": ignoring " << cluster::to_string(cluster::type_of(m));
  }
}

void cluster_service::on_closed(const std::shared_ptr<peer_link>& link, const std::string& reason) {
  auto node = links_.extract(link);
  if (node.empty()) return;
  const link_info& info = node.mapped();
  const std::string& peer = link->peer();
  if (info.on_joined) {
    const bool joined = link_up(peer) && members_.is_member(peer);
    info.on_joined(joined ? std::string() : "link to " + peer + " closed: " + reason);
  }
  if (auto it = peers_.find(peer); it != peers_.end() && it->second == link) {
    peers_.erase(it);
    TERNMQ_LOG(warning) << "cluster link to " << peer << " down: " << reason;
  } else if (!link->authenticated()) {
    const std::string who = link->we_dialled() ? "to " + peer + " at " + link->remote() : "from " + link->remote();
    if (reason.starts_with("handshake")) {
      TERNMQ_LOG(warning) << "cluster link " << who << " failed: " << reason;
    } else {
      TERNMQ_LOG(info) << "cluster link " << who << " closed before authentication: " << reason;
    }
  } else {
    TERNMQ_LOG(debug) << "cluster link with " << (peer.empty() ? link->remote() : peer) << " closed: " << reason;
  }
  if (!stopped_ && !peer.empty() && (link->we_dialled() || info.role == link_role::peer)) schedule_redial(peer);
}

// --- membership --------------------------------------------------------------------------------

void cluster_service::register_peer_link(const std::shared_ptr<peer_link>& link) {
  const std::string peer = link->peer();
  links_[link].role = link_role::peer;
  auto existing = peers_.find(peer);
  if (existing != peers_.end() && existing->second != link && existing->second->open()) {
    if (!cluster::is_preferred_link(cfg_.nodename, peer, link->we_dialled())) {
      link->close("duplicate link to " + peer + " (keeping the one " +
                  (existing->second->we_dialled() ? "we" : "it") + " dialled)");
      return;
    }
    auto replaced = existing->second;
    existing->second = link;
    replaced->close("duplicate link to " + peer);
  } else {
    peers_[peer] = link;
  }
  dials_[peer].backoff.reset();
  TERNMQ_LOG(info) << "cluster link to " << peer << " up (" << (link->we_dialled() ? "dialled" : "accepted") << ", "
                   << link->remote() << ")";
}

void cluster_service::merge_members(const std::shared_ptr<peer_link>& link, const cluster::members& m) {
  auto changes = members_.merge(m.list, now_ms());
  if (!changes) {
    link->close("member list refused: " + changes.err().message);
    return;
  }
  for (const auto& c : *changes) {
    if (!c.after) continue;
    TERNMQ_LOG(info) << "cluster: " << c.nodename << " is " << cluster::to_string(c.after->state) << " ("
                     << c.after->address << "), learnt from " << link->peer();
  }
  auto& info = links_[link];
  if (info.on_joined) {
    auto done = std::move(info.on_joined);
    info.on_joined = nullptr;
    done(members_.is_member(link->peer()) && members_.is_member(cfg_.nodename)
             ? std::string()
             : link->peer() + " did not accept us as a member (has it left its cluster?)");
  }
  if (!changes->empty()) after_membership_change();
}

void cluster_service::accept_join(const std::shared_ptr<peer_link>& link, const cluster::join& j) {
  if (!members_.is_member(cfg_.nodename)) {
    link->send(full_list());
    link->close_after_flush("refusing a join: this node has left its cluster");
    return;
  }
  if (j.nodename != link->peer()) {
    link->close("join names " + j.nodename + " but the link authenticated " + link->peer());
    return;
  }
  const auto entry = members_.join(j.nodename, j.address, now_ms());
  TERNMQ_LOG(info) << "cluster: " << j.nodename << " joined at " << j.address;
  broadcast(entry);
  register_peer_link(link);
  if (link->open()) link->send(full_list());
  after_membership_change();
}

void cluster_service::broadcast(const cluster::member_entry& e) {
  for (const auto& [peer, link] : peers_) {
    if (link->open()) link->send(cluster::members{{e}});
  }
}

void cluster_service::after_membership_change() {
  persist();
  const bool self_member = members_.is_member(cfg_.nodename);
  if (!self_member) TERNMQ_LOG(warning) << "cluster: this node has left its cluster; closing every link";
  const auto linked = peers_;  // closing a link erases it from peers_
  for (const auto& [peer, link] : linked) {
    if (!self_member || !members_.is_member(peer)) link->close_after_flush(peer + " is no longer a member");
  }
  for (auto it = dials_.begin(); it != dials_.end();) {
    it = (!self_member || !members_.is_member(it->first)) ? dials_.erase(it) : std::next(it);
  }
  ensure_links();
}

void cluster_service::persist() {
  if (auto saved = store_.save(members_.entries()); !saved.ok()) {
    TERNMQ_LOG(error) << "cluster: cannot store the member list: " << saved.message();
  }
}

cluster::members cluster_service::full_list() const { return cluster::members{members_.entries()}; }

}  // namespace ternmq::cluster_net
