#include "scheduler/runtime/local_uninstall.hpp"

#include <chrono>
#include <iostream>
#include <thread>

#include "scheduler/edgelb/haproxy_pid_file.hpp"
#include "scheduler/local/local_backend.hpp"

namespace ternmq::scheduler::runtime {

namespace fs = std::filesystem;

int uninstall_local_service(const fs::path& state_dir) {
  local::local_backend_options options;
  options.work_dir = state_dir / "backend";
  if (auto backend = local::local_backend::open(options)) {
    (*backend)->kill_all();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!(*backend)->reconcile().empty() && std::chrono::steady_clock::now() < deadline) {
      (void)(*backend)->poll();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  // A scheduler that stopped cleanly took its HAProxy along; one that was killed did not.
  const fs::path haproxy_dir = state_dir / "haproxy";
  (void)edgelb::kill_leftover_haproxy(haproxy_dir / "haproxy.pids", haproxy_dir / "haproxy.cfg");
  std::error_code ec;
  fs::remove_all(state_dir, ec);
  if (ec) {
    std::cerr << "ternmq-scheduler: --uninstall: cannot remove " << state_dir.string() << ": " << ec.message() << "\n";
    return 1;
  }
  std::cout << "ternmq-scheduler: uninstalled (tasks stopped, " << state_dir.string() << " removed)" << std::endl;
  return 0;
}

fs::path local_binary(std::string_view name) {
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path(name) : self.parent_path() / name;
}

}  // namespace ternmq::scheduler::runtime
