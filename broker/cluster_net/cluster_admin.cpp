// Admin sessions of `ternmq-admin`: one `admin_request`, one `admin_reply`, then the node hangs
// up. See cluster_service.hpp and broker/cluster/admin_messages.hpp.
#include "broker/cluster/discovery_node.hpp"
#include "broker/cluster_net/cluster_service.hpp"
#include "core/base/log.hpp"

namespace ternmq::cluster_net {

void cluster_service::on_admin_request(const std::shared_ptr<peer_link>& link, const cluster::admin_request& r) {
  TERNMQ_LOG(info) << "cluster admin " << link->peer() << ": " << cluster::to_string(r.command)
                   << (r.argument.empty() ? "" : " " + r.argument);
  switch (r.command) {
    case cluster::admin_command::cluster_show:
      link->send(show());
      break;
    case cluster::admin_command::cluster_join:
      admin_join(link, r.argument);
      return;  // answered when the join completes
    case cluster::admin_command::cluster_leave:
      link->send(admin_leave(r.argument));
      break;
  }
  link->close_after_flush("admin request answered");
}

cluster::admin_reply cluster_service::show() const {
  cluster::admin_reply reply;
  // A node that was made to leave is a node on its own: the others' entries are history.
  if (!members_.is_member(cfg_.nodename)) {
    const auto self = members_.find(cfg_.nodename);
    reply.members.push_back(
        cluster::member_status{cfg_.nodename, self ? self->address : address_, cluster::member_state::left, true});
    return reply;
  }
  for (const auto& e : members_.entries()) {
    const bool self = e.nodename == cfg_.nodename;
    if (e.state == cluster::member_state::left && !self) continue;
    reply.members.push_back(cluster::member_status{e.nodename, e.address, e.state, self || link_up(e.nodename)});
  }
  return reply;
}

void cluster_service::admin_join(const std::shared_ptr<peer_link>& admin, const std::string& argument) {
  const auto answer = [admin](const std::string& error) {
    admin->send(cluster::admin_reply{error.empty(), error, {}});
    admin->close_after_flush("admin request answered");
  };
  auto target = cluster::parse_discovery_node(argument);
  if (!target) return answer(target.err().message);
  if (target->nodename == cfg_.nodename) return answer("cannot join through ourselves (" + cfg_.nodename + ")");
  if (members_.is_member(cfg_.nodename) && members_.is_member(target->nodename) && link_up(target->nodename)) {
    return answer("");
  }
  const std::string name = target->nodename;
  dial(name, target->address, [this, answer, name](const std::string& error) {
    if (error.empty()) TERNMQ_LOG(info) << "cluster: joined the cluster of " << name;
    else TERNMQ_LOG(warning) << "cluster: cannot join the cluster of " << name << ": " << error;
    answer(error);
  });
}

cluster::admin_reply cluster_service::admin_leave(const std::string& nodename) {
  const auto m = members_.find(nodename);
  if (!m) return cluster::admin_reply{false, "unknown node " + nodename, {}};
  if (m->state == cluster::member_state::left) return cluster::admin_reply{false, nodename + " has already left", {}};
  auto entry = members_.mark_left(nodename, now_ms());
  if (!entry) return cluster::admin_reply{false, entry.err().message, {}};
  TERNMQ_LOG(info) << "cluster: " << nodename << " made to leave the cluster";
  broadcast(*entry);
  after_membership_change();
  return cluster::admin_reply{true, "", {}};
}

}  // namespace ternmq::cluster_net
