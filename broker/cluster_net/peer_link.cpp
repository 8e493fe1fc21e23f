// Frame I/O, handshake and write queue of one cluster link; see peer_link.hpp.
#include "broker/cluster_net/peer_link.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "broker/cluster/proof.hpp"
#include "core/base/log.hpp"

namespace ternmq::cluster_net {

peer_link::peer_link(boost::asio::ip::tcp::socket socket, link_events& events, bool we_dialled)
    : socket_(std::move(socket)), events_(events), we_dialled_(we_dialled) {
  boost::system::error_code ec;
  const auto ep = socket_.remote_endpoint(ec);
  remote_ = ec ? std::string("?") : ep.address().to_string() + ":" + std::to_string(ep.port());
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
}

std::shared_ptr<peer_link> peer_link::accepted(boost::asio::ip::tcp::socket socket, cluster::handshake_config config,
                                               link_events& events) {
  std::shared_ptr<peer_link> l(new peer_link(std::move(socket), events, false));
  l->handshake_.emplace<cluster::server_handshake>(std::move(config), cluster::random_nonce());
  return l;
}

std::shared_ptr<peer_link> peer_link::dialled(boost::asio::ip::tcp::socket socket, cluster::handshake_config config,
                                              std::string expected_peer, link_events& events) {
  std::shared_ptr<peer_link> l(new peer_link(std::move(socket), events, true));
  l->peer_ = expected_peer;
  l->handshake_.emplace<cluster::client_handshake>(std::move(config), cluster::random_nonce(), std::move(expected_peer));
  return l;
}

void peer_link::start() {
  if (auto* server = std::get_if<cluster::server_handshake>(&handshake_)) send(server->start());
  do_read();
}

void peer_link::send(const cluster::message& m) {
  if (closed_ || closing_after_flush_) return;
  auto bytes = cluster::encode(m, decoder_.max_frame_size() == cluster::k_handshake_max_frame_size
                                      ? cluster::k_default_max_frame_size
                                      : decoder_.max_frame_size());
  if (!bytes) {
    TERNMQ_LOG(error) << "cluster link " << remote_ << ": cannot encode " << cluster::to_string(cluster::type_of(m))
                      << ": " << bytes.err().message;
    return;
  }
  out_.push_back(std::move(bytes).value());
  do_write();
}

void peer_link::do_write() {
  if (writing_ || out_.empty() || closed_) return;
  writing_ = true;
  boost::asio::async_write(socket_, boost::asio::buffer(out_.front()),
                           [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                             self->writing_ = false;
                             if (self->closed_) return;
                             if (ec) {
                               self->close("write failed: " + ec.message());
                               return;
                             }
                             self->out_.pop_front();
                             if (self->out_.empty() && self->closing_after_flush_) {
                               self->close(self->closing_reason_);
                               return;
                             }
                             self->do_write();
                           });
}

void peer_link::do_read() {
  socket_.async_read_some(boost::asio::buffer(in_), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                               std::size_t n) {
    if (self->closed_) return;
    if (ec) {
      self->close(ec == boost::asio::error::eof ? "closed by the peer" : "read failed: " + ec.message());
      return;
    }
    auto frames = self->decoder_.feed(std::string_view(self->in_.data(), n));
    if (!frames) {
      self->close("bad frame: " + frames.err().message);
      return;
    }
    self->on_frames(std::move(frames).value());
    if (!self->closed_) self->do_read();
  });
}

void peer_link::on_frames(std::vector<cluster::frame> frames) {
  for (const auto& f : frames) {
    if (closed_ || closing_after_flush_) return;
    auto m = cluster::decode(f);
    if (!m) {
      close("bad message: " + m.err().message);
      return;
    }
    if (!authenticated_) {
      on_handshake_message(*m);
    } else {
      events_.on_message(shared_from_this(), *m);
    }
  }
}

void peer_link::on_handshake_message(const cluster::message& m) {
  std::optional<cluster::message> reply;
  const cluster::handshake_result* result = nullptr;
  if (auto* server = std::get_if<cluster::server_handshake>(&handshake_)) {
    reply = server->on_message(m);
    result = server;
  } else if (auto* client = std::get_if<cluster::client_handshake>(&handshake_)) {
    reply = client->on_message(m);
    result = client;
  } else {
    close("no handshake");
    return;
  }
  if (reply) send(*reply);
  switch (result->state()) {
    case cluster::handshake_state::waiting: return;
    case cluster::handshake_state::refused: {
      const std::string who = result->refused_by_peer() ? "refused by the peer" : "refused";
      close_after_flush("handshake " + who + " (" + cluster::to_string(result->reason()) + "): " + result->detail());
      return;
    }
    case cluster::handshake_state::authenticated:
      authenticated_ = true;
      peer_ = result->peer();
      decoder_.set_max_frame_size(cluster::k_default_max_frame_size);
      events_.on_authenticated(shared_from_this());
      return;
  }
}

void peer_link::close_after_flush(const std::string& reason) {
  if (closed_ || closing_after_flush_) return;
  closing_after_flush_ = true;
  closing_reason_ = reason;
  if (out_.empty() && !writing_) close(reason);
}

void peer_link::close(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  out_.clear();
  boost::system::error_code ignored;
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  events_.on_closed(shared_from_this(), reason);
}

}  // namespace ternmq::cluster_net
