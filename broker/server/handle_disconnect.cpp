// DISCONNECT and AUTH from the client, and the will message (MQTT 5.0 sections 3.1.2.5,
// 3.1.3.2 will delay, 3.14, 3.15).
#include "broker/server/connection.hpp"
#include "core/base/log.hpp"

namespace ternmq::server {

void connection::on_disconnect(const codec::disconnect& d) {
  if (d.props.session_expiry_interval) {
    // MQTT-3.14.2-2: a session that was to end at disconnect may not be given a lifetime now.
    if (connect_session_expiry_ == 0 && *d.props.session_expiry_interval != 0) {
      close_with(codec::reason_code::protocol_error, "session expiry set at DISCONNECT after 0 at CONNECT");
      return;
    }
    session_->set_expiry_interval(std::min(*d.props.session_expiry_interval, config_->max_session_expiry_interval));
  }
  // 0x04 asks for the will all the same; any other normal code discards it (MQTT-3.14.4-3).
  clean_disconnect_ = d.reason_code != static_cast<std::uint8_t>(codec::reason_code::disconnect_with_will);
  state_ = state::closing;
  finish();
}

void connection::on_auth(const codec::auth&) {
  // No enhanced authentication method is offered, so no AUTH exchange can be under way.
  close_with(codec::reason_code::protocol_error, "AUTH without an authentication method");
}

void connection::publish_will_on_close(bool session_ended, bool session_kept) {
  if (!will_ || clean_disconnect_) return;
  codec::will_message w = std::move(*will_);
  will_.reset();
  auto m = std::make_shared<session::message>();
  m->topic = std::move(w.topic);
  m->payload = std::move(w.payload);
  m->qos = w.qos;
  m->retain = w.retain;
  if (w.props.message_expiry_interval)
    m->expires_at = session::clock::now() + std::chrono::seconds(*w.props.message_expiry_interval);
  m->props.payload_format_indicator = w.props.payload_format_indicator;
  m->props.content_type = std::move(w.props.content_type);
  m->props.response_topic = std::move(w.props.response_topic);
  m->props.correlation_data = std::move(w.props.correlation_data);
  m->props.user = std::move(w.props.user);
  m->publisher = session_ ? session_->id() : 0;

  const std::uint32_t delay = w.props.will_delay_interval.value_or(0);
  if (delay == 0 || session_ended) {
    ctx_.counters.wills_published.fetch_add(1, std::memory_order_relaxed);
    ctx_.publish(m, worker_);
  } else if (session_kept) {
    // MQTT-3.1.3-9: published after the delay, or when the session ends if that is sooner;
    // a reconnect before then cancels it (session::attach).
    session_->set_delayed_will(m, session::clock::now() + std::chrono::seconds(delay));
  }
}

}  // namespace ternmq::server
