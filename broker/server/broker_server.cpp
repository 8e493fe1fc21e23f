#include "broker/server/broker_server.hpp"

#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "broker/cluster_net/cluster_service.hpp"
#include "broker/server/broker_context.hpp"
#include "broker/server/node_metrics.hpp"
#include "broker/server/listener.hpp"
#include "core/asio/worker_pool.hpp"
#include "core/base/log.hpp"

namespace ternmq::server {
namespace {

constexpr auto k_sweep_period = std::chrono::seconds(1);
constexpr auto k_shutdown_grace = std::chrono::seconds(5);

}  // namespace

struct broker_server::impl {
  impl(std::shared_ptr<const config::broker_config> cfg, std::size_t workers)
      : pool(workers), ctx(cfg, pool.size()), live(pool.size()), signals(pool.context(0)),
        sweep_timer(pool.context(0)), systree_timer(pool.context(0)), passwd_timer(pool.context(0)),
        acl_timer(pool.context(0)), shutdown_timer(pool.context(0)) {}

  core::asio::worker_pool pool;
  broker_context ctx;
  std::vector<connection_set> live;
  std::vector<std::shared_ptr<listener>> listeners;
  // Cluster links, when a listener.vmq.* is configured; keeps the configuration it started with.
  std::shared_ptr<const config::broker_config> cluster_config;
  std::unique_ptr<cluster_net::cluster_service> cluster;
  boost::asio::signal_set signals;
  boost::asio::steady_timer sweep_timer;
  boost::asio::steady_timer systree_timer;
  boost::asio::steady_timer passwd_timer;
  boost::asio::steady_timer acl_timer;
  boost::asio::steady_timer shutdown_timer;

  std::mutex done_mutex;
  std::condition_variable done_cv;
  bool done = false;

  void wait_signal();
  void reload();
  void begin_shutdown();
  void check_shutdown(std::chrono::steady_clock::time_point deadline);
  void sweep();
  void publish_systree();
  void watch_auth_file(boost::asio::steady_timer& timer, bool passwords);
  void mark_done();
};

void broker_server::impl::wait_signal() {
  signals.async_wait([this](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    if (sig == SIGHUP) {
      reload();
      wait_signal();
      return;
    }
    TERNMQ_LOG(info) << "signal " << sig << ": shutting down";
    begin_shutdown();
  });
}

void broker_server::impl::reload() {
  const auto current = ctx.config();
  auto next = config::load_broker_config(current->source_file);
  if (!next) {
    TERNMQ_LOG(error) << "SIGHUP: configuration not reloaded, keeping the running one: " << next.err().message;
    return;
  }
  if (next->listeners != current->listeners)
    TERNMQ_LOG(warning) << "SIGHUP: listener changes take effect at the next restart";
  core::log::level lvl;
  if (core::log::parse_level(next->log_console_level, lvl)) core::log::set_level(lvl);
  if (next->password_file != current->password_file || next->acl_file != current->acl_file ||
      next->plugin_vmq_passwd != current->plugin_vmq_passwd || next->plugin_vmq_acl != current->plugin_vmq_acl) {
    auto access = access_control::open(*next);
    if (!access) {
      TERNMQ_LOG(error) << "SIGHUP: configuration not reloaded, keeping the running one: " << access.err().message;
      return;
    }
    ctx.access.store(std::shared_ptr<access_control>(std::move(access).value()));
  }
  ctx.replace_config(std::make_shared<const config::broker_config>(std::move(next).value()));
  TERNMQ_LOG(info) << "SIGHUP: configuration reloaded (limits apply to new connections)";
}

void broker_server::impl::begin_shutdown() {
  if (ctx.shutting_down.exchange(true)) return;
  for (auto& l : listeners) l->close();
  if (cluster) cluster->stop();
  for (std::size_t w = 0; w < pool.size(); ++w)
    boost::asio::post(pool.context(w), [this, w] { live[w].for_each([](connection& c) { c.shut_down(); }); });
  sweep_timer.cancel();
  systree_timer.cancel();
  passwd_timer.cancel();
  acl_timer.cancel();
  check_shutdown(std::chrono::steady_clock::now() + k_shutdown_grace);
}

void broker_server::impl::check_shutdown(std::chrono::steady_clock::time_point deadline) {
  if (ctx.counters.connections_current.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
    mark_done();
    return;
  }
  shutdown_timer.expires_after(std::chrono::milliseconds(20));
  shutdown_timer.async_wait([this, deadline](const boost::system::error_code&) { check_shutdown(deadline); });
}

void broker_server::impl::sweep() {
  sweep_timer.expires_after(k_sweep_period);
  sweep_timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec || ctx.shutting_down.load()) return;
    const auto now = session::clock::now();
    ctx.registry.for_each([&](const std::shared_ptr<session::session>& s) {
      const auto since = s->offline_since();
      if (!since) return;
      if (auto will = s->take_delayed_will(now, false)) {
        ctx.counters.wills_published.fetch_add(1, std::memory_order_relaxed);
        ctx.publish(will, 0);
      }
      const std::uint32_t expiry = s->expiry_interval();
      if (expiry != 0xFFFFFFFF && now - *since >= std::chrono::seconds(expiry)) {
        ctx.counters.sessions_expired.fetch_add(1, std::memory_order_relaxed);
        TERNMQ_LOG(debug) << "session '" << s->client_id() << "' expired";
        ctx.end_session(s, 0);
      }
    });
    sweep();
  });
}

// $SYS/<nodename>/<metric>: each metric's value as a decimal payload, QoS 0, not retained,
// every systree_interval (VerneMQ's tree, flat).
void broker_server::impl::publish_systree() {
  const auto cfg = ctx.config();
  if (!cfg->systree_enabled || cfg->systree_interval.count() == 0) return;
  systree_timer.expires_after(cfg->systree_interval);
  systree_timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec || ctx.shutting_down.load()) return;
    const auto node = ctx.config()->nodename;
    for (const auto& m : collect_metrics(ctx)) {
      auto msg = std::make_shared<session::message>();
      msg->topic = "$SYS/" + node + "/" + m.name;
      msg->payload = std::to_string(m.value);
      ctx.router.publish(msg, 0);
    }
    publish_systree();
  });
}

// vmq_passwd.password_reload_interval and vmq_acl.acl_reload_interval: re-read a file when it
// changed; a bad file keeps the previous one (access_control logs file and line). The interval
// is read from the current configuration at every tick, so SIGHUP can change it.
void broker_server::impl::watch_auth_file(boost::asio::steady_timer& timer, bool passwords) {
  const auto cfg = ctx.config();
  auto every = passwords ? cfg->password_reload_interval : cfg->acl_reload_interval;
  if (every.count() == 0) every = std::chrono::seconds(1);  // off: look again for a SIGHUP change
  timer.expires_after(every);
  timer.async_wait([this, &timer, passwords](const boost::system::error_code& ec) {
    if (ec || ctx.shutting_down.load()) return;
    const auto now_cfg = ctx.config();
    const bool enabled = (passwords ? now_cfg->password_reload_interval : now_cfg->acl_reload_interval).count() != 0;
    if (enabled) {
      auto access = ctx.access.load();
      passwords ? access->check_passwords() : access->check_acl();
    }
    watch_auth_file(timer, passwords);
  });
}

void broker_server::impl::mark_done() {
  std::lock_guard lock(done_mutex);
  done = true;
  done_cv.notify_all();
}

broker_server::broker_server(std::shared_ptr<const config::broker_config> cfg, std::size_t workers)
    : impl_(std::make_unique<impl>(std::move(cfg), workers)) {}

broker_server::~broker_server() = default;

int broker_server::run() {
  // Signals first: a SIGTERM that arrives while the store loads or the listeners open must
  // stop the broker cleanly, not kill it with the default action.
  impl_->signals.add(SIGTERM);
  impl_->signals.add(SIGINT);
  impl_->signals.add(SIGHUP);
  const auto cfg = impl_->ctx.config();
  auto access = access_control::open(*cfg);
  if (!access) {
    std::cerr << "ternmq: " << access.err().message << "\n";
    return 1;
  }
  impl_->ctx.access.store(std::shared_ptr<access_control>(std::move(access).value()));
  if (auto opened = impl_->ctx.open_store(); !opened.ok()) {
    std::cerr << "ternmq: " << opened.message() << "\n";
    return 1;
  }
  std::vector<std::string> announced;
  for (const auto& l : cfg->listeners) {
    auto runner = std::make_shared<listener>(impl_->ctx, impl_->pool, impl_->live,
                                             std::make_shared<const config::listener_config>(l));
    auto bound = runner->open();
    if (!bound) {
      std::cerr << "ternmq: cannot open " << bound.err().message << "\n";
      return 1;
    }
    announced.push_back("ternmq: listener " + std::string(config::to_string(l.kind)) + "." + l.name +
                        " listening on " + bound->address().to_string() + ":" + std::to_string(bound->port()));
    impl_->listeners.push_back(std::move(runner));
  }
  if (!cfg->cluster_listeners.empty()) {
    impl_->cluster_config = cfg;
    impl_->cluster = std::make_unique<cluster_net::cluster_service>(impl_->pool.context(0), *cfg, *impl_->ctx.kv);
    auto opened = impl_->cluster->open();
    if (!opened) {
      std::cerr << "ternmq: cannot open " << opened.err().message << "\n";
      return 1;
    }
    for (const auto& line : *opened) announced.push_back("ternmq: listener " + line);
  }
  // One line per listener on stdout, for people and for scripts that started us on port 0;
  // printed only once every listener is open, so a line always means a broker that runs.
  for (const auto& line : announced) std::cout << line << "\n";
  std::cout.flush();
  impl_->wait_signal();
  for (auto& l : impl_->listeners) l->start_accepting();
  if (impl_->cluster) impl_->cluster->start();
  impl_->sweep();
  impl_->publish_systree();
  impl_->watch_auth_file(impl_->passwd_timer, true);
  impl_->watch_auth_file(impl_->acl_timer, false);
  impl_->pool.start();
  TERNMQ_LOG(info) << "ternmq " << cfg->nodename << " started with " << impl_->pool.size() << " workers";

  {
    std::unique_lock lock(impl_->done_mutex);
    impl_->done_cv.wait(lock, [&] { return impl_->done; });
  }
  impl_->pool.stop();
  TERNMQ_LOG(info) << "ternmq stopped";
  return 0;
}

}  // namespace ternmq::server
