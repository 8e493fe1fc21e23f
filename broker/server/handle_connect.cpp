// CONNECT and CONNACK (MQTT 3.1.1 section 3.1-3.2, 5.0 section 3.1-3.2).
#include <algorithm>
#include <random>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "broker/codec/wire.hpp"
#include "broker/routing/mountpoint.hpp"
#include "broker/server/connection.hpp"
#include "broker/topic/topic.hpp"
#include "core/base/log.hpp"

namespace ternmq::server {
namespace {

std::string assign_client_id() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  static constexpr char k_chars[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string id = "ternmq-";
  for (int i = 0; i < 16; ++i) id.push_back(k_chars[gen() % 36]);
  return id;
}

bool version_allowed(const config::listener_config& l, codec::protocol_version v) {
  const int level = static_cast<int>(v);
  return std::find(l.allowed_protocol_versions.begin(), l.allowed_protocol_versions.end(), level) !=
         l.allowed_protocol_versions.end();
}

}  // namespace

void connection::refuse_connect(codec::protocol_version v, codec::reason_code reason, std::string_view why) {
  TERNMQ_LOG(info) << peer() << ": CONNECT refused: " << why << " (" << codec::to_string(reason) << ")";
  version_ = v;
  codec::connack ack;
  if (v == codec::protocol_version::v5) {
    ack.reason_code = static_cast<std::uint8_t>(reason);
    if (!why.empty()) ack.props.reason_string = std::string(why);
  } else {
    ack.reason_code = static_cast<std::uint8_t>(codec::to_connack_return_code(reason));
  }
  send(ack);
  state_ = state::closing;  // MQTT-3.2.2-5: close after a refusing CONNACK
  start_write();
  arm_keep_alive(std::chrono::seconds(5));
}

std::optional<std::string> connection::validate_will(const codec::connect& c, codec::reason_code& reason) {
  if (!c.will) return std::nullopt;
  if (!topic::is_valid_name(c.will->topic)) {
    reason = codec::reason_code::topic_name_invalid;
    return "invalid will topic";
  }
  if (c.will->topic.starts_with("$SYS") || routing::is_mount_space(c.will->topic)) {
    reason = codec::reason_code::not_authorized;
    return "will topic in $SYS";
  }
  if (c.will->props.response_topic && !topic::is_valid_name(*c.will->props.response_topic)) {
    reason = codec::reason_code::protocol_error;  // a topic name: no wildcards (MQTT-3.3.2-14)
    return "invalid will response topic";
  }
  if (c.will->props.payload_format_indicator.value_or(0) == 1 && !codec::is_valid_mqtt_utf8(c.will->payload)) {
    reason = codec::reason_code::payload_format_invalid;
    return "will payload is not UTF-8";
  }
  if (config_->max_message_size != 0 && c.will->payload.size() > config_->max_message_size) {
    reason = codec::reason_code::packet_too_large;
    return "will payload larger than max_message_size";
  }
  return std::nullopt;
}

void connection::on_connect(codec::connect&& c) {
  const codec::protocol_version v = c.version;
  const bool is_v5 = v == codec::protocol_version::v5;
  version_ = v;
  if (is_v5) client_max_packet_size_ = c.props.maximum_packet_size.value_or(codec::k_max_varint + 5);
  if (!version_allowed(*listener_, v)) {
    refuse_connect(v, codec::reason_code::unsupported_protocol_version, "protocol version not allowed on this listener");
    return;
  }
  if (ctx_.shutting_down.load()) {
    refuse_connect(v, codec::reason_code::server_unavailable, "server shutting down");
    return;
  }

  // Client identifier rules: MQTT-3.1.3-5 .. -9 (3.1.1), 3.1.3-6/-7 (5.0).
  if (c.client_id.empty()) {
    if (v == codec::protocol_version::v31 || (v == codec::protocol_version::v311 && !c.clean_start)) {
      refuse_connect(v, codec::reason_code::client_identifier_not_valid, "empty client identifier");
      return;
    }
    c.client_id = assign_client_id();
    assigned_client_id_ = true;
  } else if (c.client_id.size() > config_->max_client_id_size) {
    refuse_connect(v, codec::reason_code::client_identifier_not_valid, "client identifier longer than max_client_id_size");
    return;
  }
  client_id_ = c.client_id;

  if (is_v5 && c.props.authentication_method) {
    refuse_connect(v, codec::reason_code::bad_authentication_method, "no enhanced authentication method is supported");
    return;
  }
  codec::reason_code will_reason = codec::reason_code::success;
  if (auto bad = validate_will(c, will_reason)) {
    if (is_v5) {
      refuse_connect(v, will_reason, *bad);
    } else {
      close_now(*bad);
    }
    return;
  }
  // Identity: the CN of a verified client certificate, from our TLS (use_identity_as_username) or
  // from the proxy that terminated TLS (proxy_protocol_use_cn_as_username), replaces the user name
  // and counts as authentication.
  std::optional<std::string> username = c.username;
  bool identity_verified = false;
  if (const auto& cn = stream_->peer().certificate_cn) {
    const bool tls_listener =
        listener_->kind == config::transport_kind::ssl || listener_->kind == config::transport_kind::wss;
    if (tls_listener ? listener_->tls.use_identity_as_username : listener_->proxy_protocol_use_cn_as_username) {
      username = *cn;
      identity_verified = true;
    }
  }
  auto access = ctx_.access.load();
  if (!access->needs_password_check(*config_, identity_verified)) {
    const auto verdict = access->authenticate(*config_, username, c.password, identity_verified);
    complete_connect(std::move(c), std::move(username), verdict);
    return;
  }
  // PBKDF2 takes tens of milliseconds by design: check off this worker, whose other clients
  // keep being served, and resume here with the verdict.
  state_ = state::authenticating;
  auto pending = std::make_shared<codec::connect>(std::move(c));
  auto executor = stream_->get_executor();
  boost::asio::post(*ctx_.auth_pool, [self = shared_from_this(), access, pending, username, executor]() mutable {
    const auto verdict = access->authenticate(*self->config_, username, pending->password, false);
    boost::asio::post(executor, [self, pending, username = std::move(username), verdict]() mutable {
      if (self->state_ != state::authenticating) return;  // closed or shut down meanwhile
      self->complete_connect(std::move(*pending), std::move(username), verdict);
      self->on_read({}, 0);  // packets that arrived behind the CONNECT wait in the buffer
    });
  });
}

void connection::complete_connect(codec::connect&& c, std::optional<std::string> username, auth_verdict verdict) {
  const codec::protocol_version v = c.version;
  const bool is_v5 = v == codec::protocol_version::v5;
  if (verdict == auth_verdict::bad_credentials) {
    refuse_connect(v, codec::reason_code::bad_user_name_or_password, "bad user name or password");
    return;
  }
  if (verdict == auth_verdict::not_authorized) {
    refuse_connect(v, codec::reason_code::not_authorized, "not authorized");
    return;
  }
  acl_client_ = auth::client_view{c.client_id, std::move(username)};
  if (c.will) {
    if (!ctx_.access.load()->can_publish(acl_client_, c.will->topic)) {
      refuse_connect(v, codec::reason_code::not_authorized, "will topic not allowed by the ACL");
      return;
    }
    c.will->topic = routing::mount(mountpoint_, c.will->topic);
  }
  const bool assigned = assigned_client_id_;

  // Session expiry: 5.0 takes it from CONNECT; 3.x maps clean session to 0 and a persistent
  // session to persistent_client_expiration (VerneMQ's extension), or never.
  std::uint32_t expiry = 0;
  bool expiry_capped = false;
  if (is_v5) {
    expiry = c.props.session_expiry_interval.value_or(0);
    if (expiry > config_->max_session_expiry_interval) {
      expiry = config_->max_session_expiry_interval;
      expiry_capped = true;
    }
  } else if (!c.clean_start) {
    expiry = config_->persistent_client_expiration
                 ? static_cast<std::uint32_t>(std::min<std::int64_t>(config_->persistent_client_expiration->count(), 0xFFFFFFFE))
                 : 0xFFFFFFFF;
  }
  connect_session_expiry_ = expiry;

  if (is_v5) {
    client_receive_maximum_ = c.props.receive_maximum.value_or(0xFFFF);
    client_topic_alias_max_ = c.props.topic_alias_maximum.value_or(0);
    request_problem_information_ = c.props.request_problem_information.value_or(1) == 1;
    outbound_topic_alias_max_ = std::min(client_topic_alias_max_, config_->topic_alias_max_client);
  }
  keep_alive_ = c.keep_alive;
  bool keep_alive_overridden = false;
  if (is_v5 && config_->max_keep_alive != 0 && (keep_alive_ == 0 || keep_alive_ > config_->max_keep_alive)) {
    keep_alive_ = config_->max_keep_alive;  // MQTT-3.2.2-21: the client must use Server Keep Alive
    keep_alive_overridden = true;
  }
  will_ = std::move(c.will);

  // Claim the session; a live connection holding it is told to go (MQTT-3.1.4-3).
  const std::size_t worker = worker_;
  broker_context& ctx = ctx_;
  // Sessions belong to a topic tree: the same client id on two mountpoints is two clients
  // (VerneMQ keys them by mountpoint and client id). Client ids cannot hold U+0000, so the
  // separator keeps the two apart.
  const std::string session_key = mountpoint_.empty() ? c.client_id : mountpoint_ + '\0' + c.client_id;
  auto claim = ctx_.registry.claim(session_key, c.clean_start, ctx_.limits(),
                                   [&ctx, worker](const std::shared_ptr<session::session>& old) {
                                     old->notify_taken_over();
                                     ctx.end_session(old, worker);
                                   },
                                   shared_from_this());
  session_ = claim.s;
  generation_ = claim.generation;
  const bool session_present = claim.resumed;
  session_->set_expiry_interval(expiry);
  state_ = state::connected;

  codec::connack ack;
  ack.session_present = session_present;
  if (is_v5) {
    if (assigned) ack.props.assigned_client_identifier = c.client_id;
    if (config_->receive_max_broker != 0xFFFF) ack.props.receive_maximum = config_->receive_max_broker;
    if (config_->topic_alias_max_broker != 0) ack.props.topic_alias_maximum = config_->topic_alias_max_broker;
    if (expiry_capped) ack.props.session_expiry_interval = expiry;
    if (keep_alive_overridden) ack.props.server_keep_alive = keep_alive_;
    if (max_incoming_packet_ < codec::k_max_varint + 5) ack.props.maximum_packet_size = max_incoming_packet_;
  }
  send(ack);
  TERNMQ_LOG(debug) << peer() << ": connected, protocol level " << static_cast<int>(v)
                    << (session_present ? ", session resumed" : "");

  // Resume: re-send unacknowledged PUBLISH and PUBREL first (MQTT-4.4.0-1), then the queue.
  std::vector<session::outgoing> resend;
  session_->resend_inflight(generation_, resend);
  for (auto& o : resend) write_outgoing(o);

  if (!is_v5) arm_retry();
  if (keep_alive_ != 0) {
    arm_keep_alive(std::chrono::milliseconds(std::uint64_t{keep_alive_} * 1500));
  } else {
    keep_alive_timer_.cancel();
  }
}

}  // namespace ternmq::server
