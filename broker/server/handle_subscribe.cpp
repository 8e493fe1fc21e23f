// SUBSCRIBE / SUBACK and UNSUBSCRIBE / UNSUBACK (MQTT 5.0 sections 3.8-3.11), including the
// retained messages a new subscription receives (retain handling, MQTT-3.3.1-9 .. -11).
#include "broker/routing/mountpoint.hpp"
#include "broker/server/connection.hpp"
#include "broker/topic/topic.hpp"

namespace ternmq::server {

void connection::on_subscribe(codec::subscribe&& s) {
  const std::uint32_t identifier =
      s.props.subscription_identifiers.empty() ? 0 : s.props.subscription_identifiers.front();
  codec::suback ack;
  ack.packet_id = s.packet_id;
  // Retained messages to send once the SUBACK is written (MQTT-3.8.4-? : SUBACK first).
  std::vector<std::pair<std::string, topic::subscription_options>> retained_for;

  const auto failure = [&](codec::reason_code v5_code) {
    return static_cast<std::uint8_t>(v5() ? v5_code : codec::reason_code::unspecified_error);
  };

  for (auto& req : s.subscriptions) {
    const bool shared = topic::is_shared(req.filter);
    if (shared) {
      if (!topic::parse_shared(req.filter)) {
        ack.reason_codes.push_back(failure(codec::reason_code::topic_filter_invalid));
        continue;
      }
      if (v5() && req.no_local) {
        close_with(codec::reason_code::protocol_error, "No Local on a shared subscription");  // MQTT-3.8.3-4
        return;
      }
    } else if (!topic::is_valid_filter(req.filter)) {
      ack.reason_codes.push_back(failure(codec::reason_code::topic_filter_invalid));
      continue;
    }
    if (routing::is_mount_space(req.filter) || !ctx_.access.load()->can_subscribe(acl_client_, req.filter)) {
      ack.reason_codes.push_back(static_cast<std::uint8_t>(
          v5() && !config_->subscribe_failure_unspecified ? codec::reason_code::not_authorized
                                                          : codec::reason_code::unspecified_error));
      continue;
    }
    req.filter = routing::mount(mountpoint_, req.filter);
    topic::subscription_options opts;
    opts.qos = req.qos;
    opts.no_local = req.no_local;
    opts.retain_as_published = req.retain_as_published;
    opts.identifier = identifier;

    const bool existed = [&] {
      for (const auto& sub : session_->subscriptions())
        if (sub.filter == req.filter) return true;
      return false;
    }();
    const session::subscription sub{req.filter, opts};
    session_->set_subscription(sub);
    ctx_.router.subscribe(session_, sub);
    ack.reason_codes.push_back(req.qos);  // granted QoS: we support all three

    // Retained messages: not for shared subscriptions (MQTT-3.8.4-? / 4.8.2), and per the
    // Retain Handling option (0 always, 1 only when new, 2 never).
    if (!shared && (req.retain_handling == 0 || (req.retain_handling == 1 && !existed)))
      retained_for.emplace_back(req.filter, opts);
  }
  send(ack);

  for (const auto& entry : retained_for) {
    const topic::subscription_options& opts = entry.second;  // named: clang < 16 cannot capture bindings
    ctx_.router.retained_matching(entry.first, [&](const session::message_ptr& m) {
      session::delivery d;
      d.msg = m;
      d.qos = std::min(m->qos, opts.qos);
      d.retain = true;  // MQTT-3.3.1-8: retained because of a new subscription
      if (opts.identifier) d.subscription_ids.push_back(opts.identifier);
      session_->enqueue(std::move(d));
    });
  }
}

void connection::on_unsubscribe(codec::unsubscribe&& u) {
  codec::unsuback ack;
  ack.packet_id = u.packet_id;
  for (const auto& client_filter : u.filters) {
    const std::string filter = routing::mount(mountpoint_, client_filter);
    const bool existed = session_->remove_subscription(filter);
    if (existed) ctx_.router.unsubscribe(session_->id(), filter);
    ack.reason_codes.push_back(static_cast<std::uint8_t>(existed ? codec::reason_code::success
                                                                 : codec::reason_code::no_subscription_existed));
  }
  send(ack);
}

}  // namespace ternmq::server
