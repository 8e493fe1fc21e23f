#include "core/asio/worker_pool.hpp"

#include "core/base/log.hpp"

namespace core::asio {

worker_pool::worker_pool(std::size_t workers) {
  if (workers == 0) workers = 1;
  for (std::size_t i = 0; i < workers; ++i) {
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.emplace_back(contexts_.back()->get_executor());
  }
}

worker_pool::~worker_pool() { stop(); }

std::size_t worker_pool::next_index() { return next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size(); }

void worker_pool::start() {
  for (auto& ctx : contexts_) {
    threads_.emplace_back([c = ctx.get()] {
      try {
        c->run();
      } catch (const std::exception& e) {
        // A handler threw: a bug. Crash loudly rather than run with a dead worker.
        TERNMQ_LOG(error) << "worker crashed: " << e.what();
        std::abort();
      }
    });
  }
}

void worker_pool::join() {
  for (auto& g : guards_) g.reset();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void worker_pool::stop() {
  for (auto& c : contexts_) c->stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

}  // namespace core::asio
