// Test helpers: temporary directories, files, waiting, and finding this process's children in /proc.
#include "tests/unit/scheduler/local/test_support.hpp"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "scheduler/local/proc_stat.hpp"

namespace ternmq::scheduler::local::test_support {

namespace fs = std::filesystem;

temp_dir::temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "ternmq-local-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds limit,
                const std::function<void()>& step) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (step) step();
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::vector<pid_t> children_of_this_process() {
  std::vector<pid_t> children;
  std::error_code ec;  // processes come and go while /proc is listed
  for (fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto pid = static_cast<pid_t>(std::stol(name));
    if (auto stat = read_proc_stat(pid); stat && stat->parent == ::getpid()) children.push_back(pid);
  }
  return children;
}

std::vector<pid_t> zombie_children() {
  std::vector<pid_t> zombies;
  for (pid_t pid : children_of_this_process()) {
    if (auto stat = read_proc_stat(pid); stat && stat->state == 'Z') zombies.push_back(pid);
  }
  return zombies;
}

void kill_and_reap_children() {
  for (pid_t pid : children_of_this_process()) {
    if (::getpgid(pid) == pid) ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
}

}  // namespace ternmq::scheduler::local::test_support
