#include "scheduler/edgelb/haproxy_pid_file.hpp"

#include <algorithm>
#include <csignal>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

namespace ternmq::scheduler::edgelb {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

core::status write_haproxy_pids(const std::filesystem::path& pid_file, const std::vector<pid_t>& pids) {
  std::error_code ec;
  if (pids.empty()) {
    std::filesystem::remove(pid_file, ec);
    return ec ? core::status::failure("cannot remove " + pid_file.string() + ": " + ec.message())
              : core::status::success();
  }
  std::ofstream out(pid_file, std::ios::trunc);
  for (pid_t pid : pids) out << pid << "\n";
  out.close();
  return out ? core::status::success() : core::status::failure("cannot write " + pid_file.string());
}

std::vector<pid_t> kill_leftover_haproxy(const std::filesystem::path& pid_file,
                                         const std::filesystem::path& config_path) {
  std::vector<pid_t> killed;
  std::istringstream pids(read_file(pid_file));
  const std::string needle = " -f " + config_path.string() + " ";
  for (long pid = 0; pids >> pid;) {
    if (pid <= 1) continue;
    // Arguments are NUL-terminated, the last one too: as spaces, every argument ends with one.
    std::string cmdline = read_file("/proc/" + std::to_string(pid) + "/cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(needle) == std::string::npos) continue;
    if (::kill(static_cast<pid_t>(pid), SIGKILL) == 0) killed.push_back(static_cast<pid_t>(pid));
  }
  return killed;
}

}  // namespace ternmq::scheduler::edgelb
