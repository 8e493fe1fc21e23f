#include "scheduler/edgelb/child_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>
#include <utility>

extern char** environ;

namespace ternmq::scheduler::edgelb {
namespace {

// posix_spawn's attributes and file actions, destroyed on every path.
class spawn_setup {
 public:
  spawn_setup() {
    posix_spawnattr_init(&attr_);
    posix_spawn_file_actions_init(&actions_);
  }
  ~spawn_setup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attr_);
  }
  spawn_setup(const spawn_setup&) = delete;
  spawn_setup& operator=(const spawn_setup&) = delete;

  // Own process group, default signal actions, empty signal mask.
  int set_attributes() {
    sigset_t all;
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    sigset_t none;
    sigemptyset(&none);
    if (int e = posix_spawnattr_setpgroup(&attr_, 0); e != 0) return e;
    if (int e = posix_spawnattr_setsigdefault(&attr_, &all); e != 0) return e;
    if (int e = posix_spawnattr_setsigmask(&attr_, &none); e != 0) return e;
    return posix_spawnattr_setflags(&attr_, static_cast<short>(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                                               POSIX_SPAWN_SETSIGMASK));
  }

  int set_files(const std::string& out, const std::string& err) {
    constexpr int k_flags = O_WRONLY | O_CREAT | O_APPEND;
    if (int e = posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0); e != 0) return e;
    if (int e = posix_spawn_file_actions_addopen(&actions_, 1, out.c_str(), k_flags, 0644); e != 0) return e;
    if (int e = posix_spawn_file_actions_addopen(&actions_, 2, err.c_str(), k_flags, 0644); e != 0) return e;
    return posix_spawn_file_actions_addclosefrom_np(&actions_, 3);
  }

  int spawn(pid_t& pid, const std::vector<std::string>& argv) {
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));  // NOLINT: POSIX API
    args.push_back(nullptr);
    return posix_spawn(&pid, args[0], &actions_, &attr_, args.data(), environ);
  }

 private:
  posix_spawnattr_t attr_;
  posix_spawn_file_actions_t actions_;
};

}  // namespace

core::result<child_process> child_process::spawn(const std::vector<std::string>& argv,
                                                 const std::filesystem::path& stdout_path,
                                                 const std::filesystem::path& stderr_path) {
  if (argv.empty()) return core::error{EINVAL, "spawn: no program given"};
  spawn_setup setup;
  int e = setup.set_attributes();
  if (e == 0) e = setup.set_files(stdout_path.string(), stderr_path.string());
  pid_t pid = -1;
  if (e == 0) e = setup.spawn(pid, argv);
  if (e != 0) return core::error{e, "cannot start " + argv[0] + ": " + std::strerror(e)};
  return child_process(pid);
}

child_process::child_process(child_process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), status_(std::exchange(other.status_, std::nullopt)) {}

child_process& child_process::operator=(child_process&& other) noexcept {
  if (this != &other) {
    kill_and_reap();
    pid_ = std::exchange(other.pid_, -1);
    status_ = std::exchange(other.status_, std::nullopt);
  }
  return *this;
}

child_process::~child_process() { kill_and_reap(); }

bool child_process::try_reap() {
  if (!running()) return true;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    status_ = status;
  } else if (r < 0 && errno == ECHILD) {
    status_ = 0;  // someone else reaped it; nothing more can be learnt
  }
  return status_.has_value();
}

void child_process::signal_group(int signal) const {
  if (running()) ::killpg(pid_, signal);
}

int child_process::wait_until(std::chrono::steady_clock::time_point deadline) {
  while (!try_reap()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      kill_and_reap();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return *status_;
}

void child_process::kill_and_reap() {
  if (!running()) return;
  ::killpg(pid_, SIGKILL);
  int status = 0;
  pid_t r = -1;
  do {
    r = ::waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  status_ = r == pid_ ? status : 0;
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::strsignal(sig);
    return "killed by signal " + std::to_string(sig) + (name != nullptr ? std::string(" (") + name + ")" : "");
  }
  return "ended with wait status " + std::to_string(status);
}

}  // namespace ternmq::scheduler::edgelb
