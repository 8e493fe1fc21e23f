// PUBLISH from the client and the acknowledgements we owe it (MQTT 5.0 sections 3.3-3.7, 4.3).
#include "broker/codec/wire.hpp"
#include "broker/routing/mountpoint.hpp"
#include "broker/server/connection.hpp"
#include "broker/topic/topic.hpp"
#include "core/base/log.hpp"

namespace ternmq::server {

session::message_ptr connection::make_message(codec::publish&& p) const {
  auto m = std::make_shared<session::message>();
  m->topic = std::move(p.topic);
  m->payload = std::move(p.payload);
  m->qos = p.qos;
  m->retain = p.retain;
  m->publisher = session_->id();
  if (v5()) {
    codec::properties& in = p.props;
    if (in.message_expiry_interval)
      m->expires_at = session::clock::now() + std::chrono::seconds(*in.message_expiry_interval);
    // Forwarded unaltered (MQTT-3.3.2-4, -15, -17, -20, 3.3.2.3.7): everything else is per hop.
    m->props.payload_format_indicator = in.payload_format_indicator;
    m->props.content_type = std::move(in.content_type);
    m->props.response_topic = std::move(in.response_topic);
    m->props.correlation_data = std::move(in.correlation_data);
    m->props.user = std::move(in.user);
  }
  return m;
}

void connection::ack_publish(std::uint8_t qos, std::uint16_t packet_id, codec::reason_code reason) {
  const auto rc = static_cast<std::uint8_t>(reason);
  if (qos == 1) {
    send(codec::puback{packet_id, rc, {}});
  } else if (qos == 2) {
    send(codec::pubrec{packet_id, rc, {}});
  }
}

void connection::on_publish(codec::publish&& p) {
  // Topic aliases, client to server (MQTT-3.3.2-7 .. -12).
  if (p.props.topic_alias) {
    const std::uint16_t alias = *p.props.topic_alias;
    if (alias == 0 || alias > config_->topic_alias_max_broker) {
      close_with(codec::reason_code::topic_alias_invalid, "topic alias out of range");
      return;
    }
    if (p.topic.empty()) {
      auto it = inbound_aliases_.find(alias);
      if (it == inbound_aliases_.end()) {
        close_with(codec::reason_code::protocol_error, "unknown topic alias");
        return;
      }
      p.topic = it->second;
    } else {
      inbound_aliases_[alias] = p.topic;
    }
  }
  if (!p.props.subscription_identifiers.empty()) {
    close_with(codec::reason_code::protocol_error, "subscription identifier in a PUBLISH from a client");  // MQTT-3.3.4-6
    return;
  }
  if (p.props.response_topic && !topic::is_valid_name(*p.props.response_topic)) {
    close_with(codec::reason_code::protocol_error, "response topic with wildcards");  // MQTT-3.3.2-14
    return;
  }
  if (config_->max_message_size != 0 && p.payload.size() > config_->max_message_size) {
    close_with(codec::reason_code::packet_too_large, "payload larger than max_message_size");
    return;
  }
  if (p.props.payload_format_indicator.value_or(0) == 1 && !codec::is_valid_mqtt_utf8(p.payload)) {
    if (p.qos == 0) {
      close_with(codec::reason_code::payload_format_invalid, "payload is not UTF-8");
    } else {
      ack_publish(p.qos, p.packet_id, codec::reason_code::payload_format_invalid);
    }
    return;
  }

  // max_message_rate: a client over its rate is slowed down by reading less, as VerneMQ does;
  // here the read side pauses until the current second ends.
  if (config_->max_message_rate != 0) {
    const auto now = std::chrono::steady_clock::now();
    if (now - rate_window_start_ >= std::chrono::seconds(1)) {
      rate_window_start_ = now;
      rate_window_count_ = 0;
    }
    ++rate_window_count_;
  }

  const std::uint8_t qos = p.qos;
  const std::uint16_t packet_id = p.packet_id;
  if (qos == 2) {
    if (!session_->begin_incoming_qos2(packet_id)) {
      // A re-sent PUBLISH (DUP) whose PUBREL has not come yet: acknowledge, deliver once.
      ack_publish(2, packet_id, codec::reason_code::success);
      return;
    }
    if (session_->incoming_qos2_pending() > config_->receive_max_broker) {
      close_with(codec::reason_code::receive_maximum_exceeded, "more unacknowledged QoS 2 publishes than Receive Maximum");
      return;
    }
  }

  // The $SYS tree belongs to the broker and `$mp/` to mountpoints; the ACL decides the rest.
  // A refused PUBLISH is dropped: 3.x has no way to say so (the ack still goes out, or the
  // client would resend forever), 5.0 QoS 1/2 answers Not authorized (0x87). On 5.0 a refusal
  // ends a QoS 2 exchange at PUBREC, so the identifier is free again (MQTT-4.3.3-9).
  if (p.topic.starts_with("$SYS") || routing::is_mount_space(p.topic) ||
      !ctx_.access.load()->can_publish(acl_client_, p.topic)) {
    if (v5()) ack_publish(qos, packet_id, codec::reason_code::not_authorized);
    else ack_publish(qos, packet_id, codec::reason_code::success);
    if (qos == 2 && v5()) session_->release_incoming_qos2(packet_id);
    TERNMQ_LOG(debug) << peer() << ": PUBLISH to '" << p.topic << "' not authorized";
    return;
  }

  if (!mountpoint_.empty()) p.topic = routing::mount(mountpoint_, p.topic);
  auto m = make_message(std::move(p));
  if (m->retain) ctx_.retain(m);
  const std::size_t receivers = ctx_.router.publish(m, worker_);
  ack_publish(qos, packet_id,
              receivers == 0 && v5() ? codec::reason_code::no_matching_subscribers : codec::reason_code::success);

  if (config_->max_message_rate != 0 && rate_window_count_ >= config_->max_message_rate) {
    // Over the rate: stop reading until the window ends.
    throttled_ = true;
    auto timer = std::make_shared<boost::asio::steady_timer>(stream_->get_executor());
    timer->expires_at(rate_window_start_ + std::chrono::seconds(1));
    timer->async_wait([self = shared_from_this(), timer](const boost::system::error_code&) {
      self->throttled_ = false;
      self->rate_window_count_ = 0;
      self->rate_window_start_ = std::chrono::steady_clock::now();
      self->do_read();
    });
  }
}

void connection::on_pubrel(const codec::pubrel& p) {
  const bool known = session_->release_incoming_qos2(p.packet_id);
  codec::pubcomp c{p.packet_id, 0, {}};
  if (!known && v5()) c.reason_code = static_cast<std::uint8_t>(codec::reason_code::packet_identifier_not_found);
  send(c);
}

}  // namespace ternmq::server
