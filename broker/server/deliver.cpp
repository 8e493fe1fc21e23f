// Messages from the session to the client, and the client's acknowledgements of them
// (MQTT 5.0 sections 4.3, 4.9 flow control, 3.3.2.3.4 topic aliases, 3.1.2.11.4 packet size).
#include <algorithm>

#include "broker/codec/encoder.hpp"
#include "broker/routing/mountpoint.hpp"
#include "broker/server/connection.hpp"
#include "core/base/log.hpp"

namespace ternmq::server {
namespace {

constexpr std::size_t k_tx_high_water = 256 * 1024;
constexpr std::size_t k_max_batch = 256;

}  // namespace

void connection::pull_from_session() {
  if (state_ != state::connected || !session_) return;
  std::vector<session::outgoing> ready;
  while (tx_pending_.size() < k_tx_high_water) {
    ready.clear();
    session_->take_ready(generation_, ready, k_max_batch, client_receive_maximum_, session::clock::now());
    if (ready.empty()) return;
    for (auto& o : ready) write_outgoing(o);
  }
}

void connection::write_outgoing(session::outgoing& o) {
  if (o.what == session::outgoing::kind::pubrel) {
    send(codec::pubrel{o.packet_id, 0, {}});
    return;
  }
  const session::message& m = *o.d.msg;
  codec::publish_view view;
  view.dup = o.dup;
  view.qos = o.d.qos;
  view.retain = o.d.retain;
  view.topic = routing::unmount(mountpoint_, m.topic);
  view.packet_id = o.packet_id;
  view.payload = m.payload;

  codec::properties per_receiver;  // used only when this receiver needs its own properties
  if (v5()) {
    view.props = &m.props;
    std::uint16_t alias = 0;
    bool alias_known = false;
    if (outbound_topic_alias_max_ != 0) {
      if (auto it = outbound_aliases_.find(m.topic); it != outbound_aliases_.end()) {
        alias = it->second;
        alias_known = true;
      } else if (outbound_aliases_.size() < outbound_topic_alias_max_) {
        alias = static_cast<std::uint16_t>(outbound_aliases_.size() + 1);  // registered once sent
      }
    }
    if (!o.d.subscription_ids.empty() || m.expires_at || alias != 0) {
      per_receiver = m.props;
      per_receiver.subscription_identifiers = o.d.subscription_ids;
      if (m.expires_at) {
        // MQTT-3.3.2-6: the interval sent is what is left of it.
        const auto left = std::chrono::ceil<std::chrono::seconds>(*m.expires_at - session::clock::now()).count();
        per_receiver.message_expiry_interval = static_cast<std::uint32_t>(std::max<std::int64_t>(left, 1));
      }
      if (alias != 0) {
        per_receiver.topic_alias = alias;
        if (alias_known) view.topic = {};
      }
      view.props = &per_receiver;
    }
  }
  if (codec::publish_wire_size(view, version_) > client_max_packet_size_) {
    // MQTT-3.1.2-25: too large for this client; discarded as if delivered.
    if (view.qos > 0) session_->forget_inflight(o.packet_id);
    TERNMQ_LOG(debug) << peer() << ": message on '" << m.topic << "' dropped: larger than the client's maximum packet size";
    return;
  }
  if (view.props && view.props->topic_alias && !view.topic.empty()) outbound_aliases_.emplace(m.topic, *view.props->topic_alias);
  codec::encode_publish(view, version_, tx_pending_);
}

void connection::on_puback(const codec::puback& p) {
  session_->on_puback(p.packet_id);
  pull_from_session();
}

void connection::on_pubrec(const codec::pubrec& p) {
  if (v5() && p.reason_code >= 0x80) {
    // The client refused the message: the exchange ends here (MQTT-4.3.3-?), no PUBREL.
    session_->forget_inflight(p.packet_id);
    pull_from_session();
    return;
  }
  codec::pubrel rel{p.packet_id, 0, {}};
  if (!session_->on_pubrec(p.packet_id) && v5())
    rel.reason_code = static_cast<std::uint8_t>(codec::reason_code::packet_identifier_not_found);
  send(rel);
}

void connection::on_pubcomp(const codec::pubcomp& p) {
  session_->on_pubcomp(p.packet_id);
  pull_from_session();
}

}  // namespace ternmq::server
