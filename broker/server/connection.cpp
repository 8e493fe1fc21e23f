#include "broker/server/connection.hpp"

#include <cstring>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "broker/codec/encoder.hpp"
#include "core/base/log.hpp"

namespace ternmq::server {
namespace {

constexpr std::size_t k_rx_initial = 4096;
constexpr std::size_t k_rx_pause_tx = 4 * 1024 * 1024;  // stop reading while this much waits to go out
constexpr auto k_connect_timeout = std::chrono::seconds(30);

}  // namespace

connection::connection(broker_context& ctx, connection_set& live, std::size_t worker,
                       std::unique_ptr<transport::byte_stream> stream, std::string initial_bytes,
                       std::shared_ptr<const config::listener_config> listener, std::shared_ptr<void> admission)
    : ctx_(ctx),
      live_(live),
      worker_(worker),
      stream_(std::move(stream)),
      listener_(std::move(listener)),
      admission_(std::move(admission)),
      config_(ctx.config()),
      keep_alive_timer_(stream_->get_executor()),
      retry_timer_(stream_->get_executor()) {
  remote_ = stream_->peer().endpoint();
  mountpoint_ = listener_->mountpoint;
  if (config_->max_message_size != 0) {
    // The largest packet that can carry an acceptable payload: payload plus the longest
    // topic, packet id and properties a client may add.
    max_incoming_packet_ = std::min<std::uint64_t>(codec::k_max_varint + 5,
                                                   std::uint64_t{config_->max_message_size} + 2 * 65536 + 16);
  }
  rx_.resize(std::max(k_rx_initial, initial_bytes.size()));
  std::memcpy(rx_.data(), initial_bytes.data(), initial_bytes.size());
  rx_len_ = initial_bytes.size();
}

connection::~connection() { ctx_.counters.connections_current.fetch_sub(1, std::memory_order_relaxed); }

std::string connection::peer() const {
  return client_id_.empty() ? remote_ : "client '" + client_id_ + "' (" + remote_ + ")";
}

void connection::start() {
  ctx_.counters.connections_current.fetch_add(1, std::memory_order_relaxed);
  live_.add(this);
  last_rx_ = std::chrono::steady_clock::now();
  arm_keep_alive(std::chrono::duration_cast<std::chrono::milliseconds>(k_connect_timeout));
  if (rx_len_ > 0) {
    on_read({}, 0);  // bytes that came with the handshake first
  } else {
    do_read();
  }
}

void connection::do_read() {
  if (reading_ || throttled_ || state_ == state::authenticating || state_ == state::closing ||
      state_ == state::closed)
    return;
  if (tx_pending_.size() + tx_writing_.size() > k_rx_pause_tx) {
    read_paused_ = true;  // the client does not read what we send: stop taking its input
    return;
  }
  read_paused_ = false;
  if (rx_.size() - rx_len_ < 1024) rx_.resize(std::max(rx_.size() * 2, rx_len_ + k_rx_initial));
  reading_ = true;
  stream_->async_read_some(boost::asio::buffer(rx_.data() + rx_len_, rx_.size() - rx_len_),
                           [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                             self->on_read(ec, n);
                           });
}

void connection::on_read(const boost::system::error_code& ec, std::size_t n) {
  reading_ = false;
  if (state_ == state::closed) return;
  if (ec) {
    close_now(ec == boost::asio::error::eof ? "connection closed by client" : ec.message());
    return;
  }
  rx_len_ += n;
  std::size_t pos = 0;
  while (state_ == state::awaiting_connect || state_ == state::connected) {
    codec::frame f;
    const auto status = codec::parse_frame(rx_.data() + pos, rx_len_ - pos, f);
    if (status == codec::frame_status::need_more) break;
    if (status == codec::frame_status::malformed) {
      on_decode_error({codec::reason_code::malformed_packet, "bad remaining length", 0});
      return;
    }
    if (f.total_size() > max_incoming_packet_) {
      on_decode_error({codec::reason_code::packet_too_large, "packet larger than the maximum", 0});
      return;
    }
    if (state_ == state::awaiting_connect && f.type != static_cast<std::uint8_t>(codec::packet_type::connect)) {
      close_now("first packet is not CONNECT");  // MQTT-3.1.0-1, decided from the first byte
      return;
    }
    if (rx_len_ - pos < f.total_size()) {
      if (rx_.size() < f.total_size()) rx_.resize(f.total_size());  // grow once for a large packet
      break;
    }
    // Keep alive counts whole control packets, not bytes (MQTT-3.1.2-24): a client that
    // trickles one byte at a time still times out.
    last_rx_ = std::chrono::steady_clock::now();
    auto decoded = codec::decode_packet(f, rx_.data() + pos + f.header_size, version_);
    pos += f.total_size();
    if (!decoded) {
      on_decode_error(decoded.err());
      return;
    }
    dispatch(std::move(decoded).value());
  }
  if (pos > 0) {
    std::memmove(rx_.data(), rx_.data() + pos, rx_len_ - pos);
    rx_len_ -= pos;
  }
  if (rx_len_ == 0 && rx_.size() > 64 * 1024) {
    rx_.resize(k_rx_initial);  // give back the memory of one large packet
    rx_.shrink_to_fit();
  }
  pull_from_session();
  start_write();
  do_read();
}

void connection::dispatch(codec::packet&& p) {
  using namespace codec;
  if (state_ == state::awaiting_connect) {
    on_connect(std::get<connect>(std::move(p)));
    return;
  }
  std::visit(
      [&](auto&& pkt) {
        using T = std::decay_t<decltype(pkt)>;
        if constexpr (std::is_same_v<T, publish>) on_publish(std::move(pkt));
        else if constexpr (std::is_same_v<T, puback>) on_puback(pkt);
        else if constexpr (std::is_same_v<T, pubrec>) on_pubrec(pkt);
        else if constexpr (std::is_same_v<T, pubrel>) on_pubrel(pkt);
        else if constexpr (std::is_same_v<T, pubcomp>) on_pubcomp(pkt);
        else if constexpr (std::is_same_v<T, subscribe>) on_subscribe(std::move(pkt));
        else if constexpr (std::is_same_v<T, unsubscribe>) on_unsubscribe(std::move(pkt));
        else if constexpr (std::is_same_v<T, pingreq>) send(pingresp{});
        else if constexpr (std::is_same_v<T, disconnect>) on_disconnect(pkt);
        else if constexpr (std::is_same_v<T, codec::auth>) on_auth(pkt);
        else if constexpr (std::is_same_v<T, connect>) close_with(reason_code::protocol_error, "second CONNECT");  // MQTT-3.1.0-2
        else close_with(reason_code::protocol_error, std::string("client sent ") + to_string(type_of(packet{pkt})));
      },
      std::move(p));
}

void connection::on_decode_error(const codec::decode_error& e) {
  ctx_.counters.protocol_errors.fetch_add(1, std::memory_order_relaxed);
  if (state_ == state::awaiting_connect) {
    // Answer in the CONNACK format the client can read, when its protocol level is known.
    if (e.code == codec::reason_code::unsupported_protocol_version) {
      refuse_connect(e.connect_level > 5 ? codec::protocol_version::v5 : codec::protocol_version::v311, e.code,
                     e.what);
    } else if (e.connect_level == 5) {
      refuse_connect(codec::protocol_version::v5, e.code, e.what);
    } else {
      close_now(std::string("malformed CONNECT: ") + std::string(e.what));
    }
    return;
  }
  close_with(e.code, e.what);
}

void connection::send(const codec::packet& p) {
  const std::size_t start = tx_pending_.size();
  codec::encode(p, version_, tx_pending_);
  if (!v5() || tx_pending_.size() - start <= client_max_packet_size_) return;
  // MQTT-3.1.2-25 and the Reason String / User Property rules of each packet: what makes a
  // packet too large for the client is left out, never the packet itself.
  tx_pending_.resize(start);
  codec::packet trimmed = p;
  std::visit(
      [](auto& pkt) {
        if constexpr (requires { pkt.props; }) {
          pkt.props.reason_string.reset();
          pkt.props.user.clear();
        }
      },
      trimmed);
  codec::encode(trimmed, version_, tx_pending_);
  if (tx_pending_.size() - start <= client_max_packet_size_) return;
  // Still too large (a SUBACK for many filters, a CONNACK with an assigned id): the packet cannot
  // be sent at all, so the connection cannot go on (MQTT-3.1.2-24).
  tx_pending_.resize(start);
  TERNMQ_LOG(info) << peer() << ": a " << codec::to_string(codec::type_of(p))
                   << " would exceed the client's Maximum Packet Size; closing";
  if (state_ == state::connected && !std::holds_alternative<codec::disconnect>(p)) {
    close_with(codec::reason_code::packet_too_large, {});
  } else {
    close_now("CONNACK larger than the client's Maximum Packet Size");
  }
}

void connection::start_write() {
  if (writing_ || tx_pending_.empty() || state_ == state::closed) return;
  writing_ = true;
  tx_writing_.swap(tx_pending_);
  stream_->async_write(boost::asio::buffer(tx_writing_),
                       [self = shared_from_this()](const boost::system::error_code& ec) { self->on_write(ec); });
}

void connection::on_write(const boost::system::error_code& ec) {
  writing_ = false;
  tx_writing_.clear();
  if (tx_writing_.capacity() > 1024 * 1024) tx_writing_.shrink_to_fit();
  if (state_ == state::closed) return;
  if (ec) {
    close_now(ec.message());
    return;
  }
  if (state_ == state::closing) {
    if (tx_pending_.empty()) {
      finish();
    } else {
      start_write();
    }
    return;
  }
  pull_from_session();
  start_write();
  if (read_paused_) do_read();
}

void connection::close_with(codec::reason_code reason, std::string_view why) {
  if (state_ == state::closing || state_ == state::closed) return;
  TERNMQ_LOG(info) << peer() << ": closing: " << why << " (" << codec::to_string(reason) << ")";
  if (v5() && state_ == state::connected) {
    codec::disconnect d;
    d.reason_code = static_cast<std::uint8_t>(reason);
    if (request_problem_information_ && !why.empty()) d.props.reason_string = std::string(why);
    send(d);
  }
  state_ = state::closing;
  if (!writing_ && tx_pending_.empty()) {
    finish();
  } else {
    start_write();
    // Do not wait for a client that never reads: the keep-alive timer bounds the linger.
    arm_keep_alive(std::chrono::seconds(5));
  }
}

void connection::close_now(std::string_view why) {
  if (state_ == state::closed) return;
  TERNMQ_LOG(debug) << peer() << ": closed: " << why;
  finish();
}

void connection::finish() {
  if (state_ == state::closed) return;
  const bool was_connected = state_ == state::connected || (state_ == state::closing && session_);
  state_ = state::closed;
  keep_alive_timer_.cancel();
  retry_timer_.cancel();
  stream_->close();
  live_.remove(this);
  if (!was_connected || !session_) return;

  const auto released = ctx_.registry.release(session_, generation_, session::clock::now());
  // `replaced`: a CONNECT elsewhere ended this session (Clean Start, or it was a clean session).
  publish_will_on_close(released.ended || released.replaced, released.owner && !released.ended && !released.replaced);
  if (released.ended) ctx_.end_session(session_, worker_);
}

void connection::arm_keep_alive(std::chrono::milliseconds period) {
  keep_alive_timer_.expires_after(period);
  keep_alive_timer_.async_wait(
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_keep_alive(ec); });
}

void connection::on_keep_alive(const boost::system::error_code& ec) {
  if (ec || state_ == state::closed) return;
  const auto now = std::chrono::steady_clock::now();
  if (state_ == state::closing) {
    close_now("client did not read its DISCONNECT");
    return;
  }
  if (state_ == state::awaiting_connect) {
    close_now("no CONNECT in time");
    return;
  }
  if (keep_alive_ == 0) return;
  // MQTT-3.1.2-24: one and a half times the keep alive without a packet ends the connection.
  const auto limit = std::chrono::milliseconds(std::uint64_t{keep_alive_} * 1500);
  const auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(now - last_rx_);
  if (idle >= limit) {
    close_with(codec::reason_code::keep_alive_timeout, "keep alive timeout");
    return;
  }
  arm_keep_alive(limit - idle);
}

void connection::arm_retry() {
  retry_timer_.expires_after(config_->retry_interval);
  retry_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->state_ != state::connected) return;
    std::vector<session::outgoing> again;
    self->session_->collect_retries(self->generation_, session::clock::now(), self->config_->retry_interval, again);
    for (auto& o : again) self->write_outgoing(o);
    self->start_write();
    self->arm_retry();
  });
}

void connection::wake() {
  if (wake_pending_.exchange(true, std::memory_order_acq_rel)) return;
  boost::asio::post(stream_->get_executor(), [self = shared_from_this()] {
    self->wake_pending_.store(false, std::memory_order_release);
    if (self->state_ != state::connected) return;
    self->pull_from_session();
    self->start_write();
  });
}

void connection::taken_over() {
  boost::asio::post(stream_->get_executor(), [self = shared_from_this()] {
    self->close_with(codec::reason_code::session_taken_over, "another connection took over the session");
  });
}

void connection::shut_down() {
  close_with(codec::reason_code::server_shutting_down, "server shutting down");
}

}  // namespace ternmq::server
