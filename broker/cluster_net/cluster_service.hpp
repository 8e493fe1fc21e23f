// The live side of clustering: the cluster listeners (`listener.vmq.<name>`), one authenticated
// link to every other member, the member list (persisted, exchanged on every link) and the admin
// sessions of `ternmq-admin`. Routing messages between nodes is not part of it yet.
//
// Links. Every member dials every other member it has no link to (`membership::peers_to_connect`),
// redialling with `redial_backoff`; both sides may dial at once, and of two authenticated links
// to a peer both nodes keep the one dialled by the smaller name (`is_preferred_link`). A ping
// goes out on every link each second; three unanswered pings close the link. A peer is
// *running* while its link is up.
//
// Membership. After the handshake the dialling side sends `join` (when an admin asked it to join
// the cluster through that peer) and then `members`; the accepting side treats the first message
// as the link's purpose: `admin_request` makes it an admin session, `join` adds the peer as a
// member, `members` from a member is merged, and anything from a non-member gets our list back
// and the link closes (a node that was made to leave learns it that way). Local writes (a join
// received, an admin's leave) go to every linked peer as a one-entry `members` delta; other
// nodes' writes are not relayed, since each writer reaches each peer itself and every link-up
// exchanges full lists.
//
// Threading: the service and all its links run on one io_context (worker 0's), so its state
// needs no lock. `open` runs before the workers start; `stop` may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "broker/cluster/membership.hpp"
#include "broker/cluster_net/membership_store.hpp"
#include "broker/cluster_net/peer_link.hpp"
#include "broker/config/broker_config.hpp"
#include "core/base/result.hpp"
#include "core/kv/kv_store.hpp"

namespace ternmq::cluster_net {

class cluster_service final : public link_events {
 public:
  // REQUIRES: `cfg.cluster_listeners` is not empty; `kv` outlives the service.
  cluster_service(boost::asio::io_context& io, const config::broker_config& cfg, core::kv::kv_store& kv);
  ~cluster_service() override;
  cluster_service(const cluster_service&) = delete;
  cluster_service& operator=(const cluster_service&) = delete;

  // Checks the node name and cookie, binds every cluster listener and loads the member list.
  // Returns one "vmq.<name> listening on ip:port" line per listener, for stdout.
  core::result<std::vector<std::string>> open();
  // Starts accepting, dialling and pinging (on the io_context).
  void start();
  // Closes listeners and links; thread-safe.
  void stop();

  // link_events
  void on_authenticated(const std::shared_ptr<peer_link>& link) override;
  void on_message(const std::shared_ptr<peer_link>& link, const cluster::message& m) override;
  void on_closed(const std::shared_ptr<peer_link>& link, const std::string& reason) override;

 private:
  // How a link is being used, decided by its first message (accepted links) or at dial time.
  enum class link_role { unclassified, peer, admin };
  struct link_info {
    link_role role = link_role::unclassified;
    std::function<void(const std::string& error)> on_joined;  // an admin's join through this link
  };
  // Dialling state of one member.
  struct dial_state {
    cluster::redial_backoff backoff;
    std::unique_ptr<boost::asio::steady_timer> timer;  // armed: a redial is scheduled
    bool in_progress = false;
  };

  // cluster_service.cpp: listeners, link lifecycle, membership messages.
  void do_accept(std::size_t index);
  void on_first_message(const std::shared_ptr<peer_link>& link, const cluster::message& m);
  void on_peer_message(const std::shared_ptr<peer_link>& link, const cluster::message& m);
  void register_peer_link(const std::shared_ptr<peer_link>& link);
  void merge_members(const std::shared_ptr<peer_link>& link, const cluster::members& m);
  void accept_join(const std::shared_ptr<peer_link>& link, const cluster::join& j);
  void broadcast(const cluster::member_entry& e);
  void after_membership_change();
  void persist();
  cluster::members full_list() const;
  std::uint64_t now_ms() const;

  // cluster_links.cpp: dialling, redialling, pings.
  void ensure_links();
  void dial(const std::string& nodename, const std::string& address,
            std::function<void(const std::string& error)> on_joined);
  void schedule_redial(const std::string& nodename);
  void tick();
  bool link_up(const std::string& nodename) const;

  // cluster_admin.cpp: admin sessions.
  void on_admin_request(const std::shared_ptr<peer_link>& link, const cluster::admin_request& r);
  cluster::admin_reply show() const;
  void admin_join(const std::shared_ptr<peer_link>& admin, const std::string& argument);
  cluster::admin_reply admin_leave(const std::string& nodename);

  boost::asio::io_context& io_;
  const config::broker_config& cfg_;
  cluster::handshake_config handshake_;
  std::string address_;  // ours, as advertised to peers
  membership_store store_;
  cluster::membership members_;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
  std::map<std::shared_ptr<peer_link>, link_info> links_;  // every open link
  std::map<std::string, std::shared_ptr<peer_link>> peers_;  // the one link kept per peer
  std::map<std::string, dial_state> dials_;
  boost::asio::steady_timer tick_timer_;
  bool stopped_ = false;
};

}  // namespace ternmq::cluster_net
