#include "broker/server/tcp_listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/base/log.hpp"

namespace ternmq::server {

tcp_listener_runner::tcp_listener_runner(broker_context& ctx, core::asio::worker_pool& pool,
                                         std::vector<connection_set>& live,
                                         std::shared_ptr<const config::tcp_listener> cfg)
    : ctx_(ctx), pool_(pool), live_(live), cfg_(std::move(cfg)), acceptor_(pool.context(0)) {}

core::result<boost::asio::ip::tcp::endpoint> tcp_listener_runner::open() {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(cfg_->address, ec);
  const std::string where = "listener.tcp." + cfg_->name + " (" + cfg_->address + ":" + std::to_string(cfg_->port) + ")";
  if (ec) return core::error{1, where + ": not an IP address"};
  const boost::asio::ip::tcp::endpoint ep(address, cfg_->port);
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) return core::error{1, where + ": " + ec.message()};
  auto bound = acceptor_.local_endpoint(ec);
  return bound;
}

void tcp_listener_runner::start_accepting() { do_accept(); }

void tcp_listener_runner::close() {
  boost::asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void tcp_listener_runner::do_accept() {
  const std::size_t worker = pool_.next_index();
  acceptor_.async_accept(pool_.context(worker), [self = shared_from_this(), worker](
                                                    const boost::system::error_code& ec,
                                                    boost::asio::ip::tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted || !self->acceptor_.is_open()) return;
    if (!ec) {
      const std::uint32_t limit = self->cfg_->max_connections;
      if (limit != 0 && self->current_->load() >= limit) {
        self->ctx_.counters.connections_refused.fetch_add(1, std::memory_order_relaxed);
        TERNMQ_LOG(warning) << "listener.tcp." << self->cfg_->name << ": max_connections (" << limit
                            << ") reached, connection refused";
        boost::system::error_code ignored;
        socket.close(ignored);
      } else {
        self->current_->fetch_add(1);
        std::shared_ptr<void> slot(nullptr, [counter = self->current_](void*) { counter->fetch_sub(1); });
        self->ctx_.counters.connections_accepted.fetch_add(1, std::memory_order_relaxed);
        auto c = std::make_shared<connection>(self->ctx_, self->live_[worker], worker, std::move(socket), self->cfg_,
                                              std::move(slot));
        boost::asio::post(self->pool_.context(worker), [c] { c->start(); });
      }
    } else {
      // EMFILE and the like: keep listening, after a pause so a full descriptor table does not
      // turn into a busy loop.
      TERNMQ_LOG(warning) << "listener.tcp." << self->cfg_->name << ": accept failed: " << ec.message();
      auto timer = std::make_shared<boost::asio::steady_timer>(self->acceptor_.get_executor());
      timer->expires_after(std::chrono::milliseconds(100));
      timer->async_wait([self, timer](const boost::system::error_code&) { self->do_accept(); });
      return;
    }
    self->do_accept();
  });
}

}  // namespace ternmq::server
