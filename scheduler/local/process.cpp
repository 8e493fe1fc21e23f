// fork/exec of the local backend's processes. The child runs only async-signal-safe code and
// reports a failure before exec through a close-on-exec pipe, so `spawn` knows whether exec
// happened without waiting for the process to do anything.
#include "scheduler/local/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "scheduler/local/proc_stat.hpp"

namespace ternmq::scheduler::local {
namespace {

// A descriptor closed when it goes out of scope.
class unique_fd {
 public:
  explicit unique_fd(int fd = -1) : fd_(fd) {}
  ~unique_fd() { reset(); }
  unique_fd(unique_fd&& other) noexcept : fd_(other.release()) {}
  unique_fd& operator=(unique_fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = other.release();
    }
    return *this;
  }
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Moves `fd` to a number above 2 (keeping close-on-exec), so that the child's dup2 onto 0, 1 and
// 2 never meets one of its own sources, even when the scheduler runs with a standard stream closed.
unique_fd above_standard_streams(int fd) {
  if (fd < 0 || fd > 2) return unique_fd(fd);
  unique_fd moved(::fcntl(fd, F_DUPFD_CLOEXEC, 3));
  ::close(fd);
  return moved;
}

// What the child reports through the close-on-exec pipe when a step before exec fails.
enum class child_step : int { setsid = 1, chdir, redirect, setrlimit, exec };
struct child_failure {
  child_step step;
  int error;
};

const char* name_of(child_step step) {
  switch (step) {
    case child_step::setsid: return "setsid";
    case child_step::chdir: return "chdir";
    case child_step::redirect: return "dup2";
    case child_step::setrlimit: return "setrlimit";
    case child_step::exec: return "exec";
  }
  return "?";
}

// Everything the child uses, prepared before fork.
struct child_setup {
  char* const* argv;
  char* const* envp;
  const char* working_dir;
  int stdin_fd;
  int stdout_fd;
  int stderr_fd;
  int report_fd;
  const std::vector<resolved_rlimit>* rlimits;
  unsigned int fd_limit;
};

[[noreturn]] void fail_in_child(int report_fd, child_step step) {
  const child_failure failure{step, errno};
  // Nothing to do if the report cannot be written: the parent then sees the exit status 127.
  [[maybe_unused]] auto written = ::write(report_fd, &failure, sizeof failure);
  ::_exit(127);
}

void close_other_descriptors(int keep, unsigned int fd_limit) {
  const auto kept = static_cast<unsigned int>(keep);
  bool closed = (kept == 3 || ::close_range(3, kept - 1, 0) == 0) && ::close_range(kept + 1, ~0U, 0) == 0;
  if (closed) return;
  for (unsigned int fd = 3; fd < fd_limit; ++fd) {  // kernels before 5.9
    if (fd != kept) ::close(static_cast<int>(fd));
  }
}

// Runs in the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void run_child(const child_setup& setup) {
  if (::setsid() < 0) fail_in_child(setup.report_fd, child_step::setsid);
  // The scheduler's blocked and ignored signals must not become the task's.
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &default_action, nullptr);

  if (::chdir(setup.working_dir) != 0) fail_in_child(setup.report_fd, child_step::chdir);
  if (::dup2(setup.stdin_fd, 0) < 0 || ::dup2(setup.stdout_fd, 1) < 0 || ::dup2(setup.stderr_fd, 2) < 0) {
    fail_in_child(setup.report_fd, child_step::redirect);
  }
  for (const auto& limit : *setup.rlimits) {
    const rlimit value{limit.soft, limit.hard};
    if (::setrlimit(limit.resource, &value) != 0) fail_in_child(setup.report_fd, child_step::setrlimit);
  }
  close_other_descriptors(setup.report_fd, setup.fd_limit);
  ::execve(setup.argv[0], setup.argv, setup.envp);
  fail_in_child(setup.report_fd, child_step::exec);
}

core::error errno_error(const std::string& what) { return core::error{errno, what + ": " + std::strerror(errno)}; }

unique_fd open_output(const std::string& path, bool truncate) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : O_APPEND);
  return above_standard_streams(::open(path.c_str(), flags, 0644));
}

}  // namespace

std::vector<std::string> shell_argv(std::string_view command) { return {"/bin/sh", "-c", std::string(command)}; }

core::result<spawned_process> spawn(const spawn_request& request) {
  if (request.argv.empty()) return core::error{EINVAL, "nothing to run"};
  std::vector<std::string> env_entries;
  for (const auto& [key, value] : request.env) env_entries.push_back(key + "=" + value);
  std::vector<char*> argv;
  for (const auto& arg : request.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& entry : env_entries) envp.push_back(entry.data());
  envp.push_back(nullptr);

  unique_fd stdin_fd = above_standard_streams(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!stdin_fd.valid()) return errno_error("open /dev/null");
  unique_fd stdout_fd = open_output(request.stdout_path, request.truncate_output);
  if (!stdout_fd.valid()) return errno_error("open " + request.stdout_path);
  unique_fd stderr_fd;
  if (request.stderr_path != request.stdout_path) {
    stderr_fd = open_output(request.stderr_path, request.truncate_output);
    if (!stderr_fd.valid()) return errno_error("open " + request.stderr_path);
  }
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return errno_error("pipe2");
  unique_fd report_read = above_standard_streams(pipe_fds[0]);
  unique_fd report_write = above_standard_streams(pipe_fds[1]);
  if (!report_read.valid() || !report_write.valid()) return errno_error("pipe2");

  rlimit fd_limit{};
  ::getrlimit(RLIMIT_NOFILE, &fd_limit);
  const child_setup setup{
      .argv = argv.data(),
      .envp = envp.data(),
      .working_dir = request.working_dir.c_str(),
      .stdin_fd = stdin_fd.get(),
      .stdout_fd = stdout_fd.get(),
      .stderr_fd = stderr_fd.valid() ? stderr_fd.get() : stdout_fd.get(),
      .report_fd = report_write.get(),
      .rlimits = &request.rlimits,
      .fd_limit = static_cast<unsigned int>(std::min<rlim_t>(fd_limit.rlim_cur, 1U << 20)),
  };

  const pid_t pid = ::fork();
  if (pid < 0) return errno_error("fork");
  if (pid == 0) run_child(setup);

  report_write.reset();
  child_failure failure{};
  ssize_t got = 0;
  do {
    got = ::read(report_read.get(), &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof failure)) {
    ::waitpid(pid, nullptr, 0);
    std::string what = name_of(failure.step);
    if (failure.step == child_step::chdir) what += " " + request.working_dir;
    if (failure.step == child_step::exec) what += " " + request.argv[0];
    return core::error{failure.error, what + ": " + std::strerror(failure.error)};
  }
  // The start time is fixed at fork, so reading it after exec names the same process. Our child
  // cannot vanish before we reap it, so this read only fails without /proc.
  return spawned_process{pid, process_start_time(pid).value_or(0)};
}

void signal_group(pid_t group, int signal) {
  if (group > 0) ::kill(-group, signal);
}

std::optional<int> reap_if_exited(pid_t child) {
  siginfo_t info{};
  int rc = 0;
  do {
    rc = ::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOHANG | WNOWAIT);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return -1;                      // not our child (any more)
  if (info.si_pid == 0) return std::nullopt;  // still running
  signal_group(child, SIGKILL);               // what it left behind in its group
  int status = 0;
  pid_t reaped = 0;
  do {
    reaped = ::waitpid(child, &status, 0);
  } while (reaped < 0 && errno == EINTR);
  return reaped == child ? status : -1;
}

void kill_and_reap(pid_t child) {
  signal_group(child, SIGKILL);
  ::kill(child, SIGKILL);  // in case it left its group before we got here
  pid_t reaped = 0;
  do {
    reaped = ::waitpid(child, nullptr, 0);
  } while (reaped < 0 && errno == EINTR);
}

std::string describe_wait_status(int wait_status) {
  if (wait_status == -1) return "exited with an unknown status";
  if (WIFEXITED(wait_status)) return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) return "killed by signal " + std::to_string(WTERMSIG(wait_status));
  return "stopped with wait status " + std::to_string(wait_status);
}

bool exited_successfully(int wait_status) {
  return wait_status != -1 && WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
}

}  // namespace ternmq::scheduler::local
