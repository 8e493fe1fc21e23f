// A pool of single-threaded io_contexts, one per core (Seastar's shard-per-core, Envoy's
// workers). Work on one context never needs a strand: its handlers run on its one thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace core::asio {

class worker_pool {
 public:
  explicit worker_pool(std::size_t workers);
  ~worker_pool();
  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;

  std::size_t size() const { return contexts_.size(); }
  boost::asio::io_context& context(std::size_t i) { return *contexts_[i]; }
  // Round-robin choice for a new connection.
  std::size_t next_index();

  void start();
  // Lets the contexts finish once they run out of work, then joins the threads.
  void join();
  // Stops every context at once (pending handlers are dropped), then joins.
  void stop();

 private:
  using guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<guard> guards_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace core::asio
