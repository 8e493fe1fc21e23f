#include "broker/server/listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/base/log.hpp"
#include "core/tls/server_context.hpp"

namespace ternmq::server {

listener::listener(broker_context& ctx, core::asio::worker_pool& pool, std::vector<connection_set>& live,
                   std::shared_ptr<const config::listener_config> cfg)
    : ctx_(ctx), pool_(pool), live_(live), cfg_(std::move(cfg)), acceptor_(pool.context(0)) {}

std::string listener::key() const { return std::string("listener.") + config::to_string(cfg_->kind) + "." + cfg_->name; }

core::result<boost::asio::ip::tcp::endpoint> listener::open() {
  const std::string where = key() + " (" + cfg_->address + ":" + std::to_string(cfg_->port) + ")";
  const bool tls = cfg_->kind == config::transport_kind::ssl || cfg_->kind == config::transport_kind::wss;
  handshake_.tls = tls;
  handshake_.websocket = cfg_->kind == config::transport_kind::ws || cfg_->kind == config::transport_kind::wss;
  handshake_.proxy_protocol = cfg_->proxy_protocol;
  if (tls) {
    core::tls::server_options o;
    o.certfile = cfg_->tls.certfile;
    o.keyfile = cfg_->tls.keyfile;
    o.cafile = cfg_->tls.cafile;
    o.crlfile = cfg_->tls.crlfile;
    o.ciphers = cfg_->tls.ciphers;
    o.min_version = cfg_->tls.tls_version;
    o.require_certificate = cfg_->tls.require_certificate;
    auto context = core::tls::make_server_context(o);
    if (!context) return core::error{1, where + ": " + context.err().message};
    handshake_.tls_context = std::move(context).value();
  }

  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(cfg_->address, ec);
  if (ec) return core::error{1, where + ": not an IP address"};
  const boost::asio::ip::tcp::endpoint ep(address, cfg_->port);
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) return core::error{1, where + ": " + ec.message()};
  auto bound = acceptor_.local_endpoint(ec);
  if (ec) return core::error{1, where + ": " + ec.message()};
  return bound;
}

void listener::start_accepting() { do_accept(); }

void listener::close() {
  boost::asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void listener::do_accept() {
  const std::size_t worker = pool_.next_index();
  acceptor_.async_accept(pool_.context(worker), [self = shared_from_this(), worker](
                                                    const boost::system::error_code& ec,
                                                    boost::asio::ip::tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (ec) {
      // EMFILE and the like: keep listening, after a pause so a full descriptor table does not
      // turn into a busy loop.
      TERNMQ_LOG(warning) << self->key() << ": accept failed: " << ec.message();
      auto timer = std::make_shared<boost::asio::steady_timer>(self->acceptor_.get_executor());
      timer->expires_after(std::chrono::milliseconds(100));
      timer->async_wait([self, timer](const boost::system::error_code&) { self->do_accept(); });
      return;
    }
    self->on_accepted(std::move(socket), worker);
    self->do_accept();
  });
}

void listener::on_accepted(boost::asio::ip::tcp::socket socket, std::size_t worker) {
  const std::uint32_t limit = cfg_->max_connections;
  if (limit != 0 && current_->load() >= limit) {
    ctx_.counters.connections_refused.fetch_add(1, std::memory_order_relaxed);
    TERNMQ_LOG(warning) << key() << ": max_connections (" << limit << ") reached, connection refused";
    boost::system::error_code ignored;
    socket.close(ignored);
    return;
  }
  current_->fetch_add(1);
  std::shared_ptr<void> slot(nullptr, [counter = current_](void*) { counter->fetch_sub(1); });
  ctx_.counters.connections_accepted.fetch_add(1, std::memory_order_relaxed);
  boost::asio::post(pool_.context(worker), [self = shared_from_this(), socket = std::move(socket), slot, worker]() mutable {
    transport::start_handshake(std::move(socket), self->handshake_,
                               [self, slot, worker](transport::handshake_result r) {
                                 if (!r.stream) {
                                   TERNMQ_LOG(info) << self->key() << ": connection dropped: " << r.error;
                                   return;
                                 }
                                 auto c = std::make_shared<connection>(self->ctx_, self->live_[worker], worker,
                                                                       std::move(r.stream), std::move(r.initial_bytes),
                                                                       self->cfg_, slot);
                                 c->start();
                               });
  });
}

}  // namespace ternmq::server
