// check_runner: one check process at a time, started on schedule, reaped or killed on timeout.
#include "scheduler/local/check_runner.hpp"

#include <utility>

#include "core/base/log.hpp"
#include "scheduler/local/file_io.hpp"
#include "scheduler/local/process.hpp"

namespace ternmq::scheduler::local {
namespace {

constexpr std::size_t k_max_output_in_reason = 200;

// The last non-empty line of what the check printed, shortened: the useful part of a failure.
std::string last_output_line(const std::string& path) {
  std::string text = read_whole_file(path).value_or("");
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  const auto line_start = text.find_last_of('\n');
  std::string line = line_start == std::string::npos ? text : text.substr(line_start + 1);
  if (line.size() > k_max_output_in_reason) line = line.substr(line.size() - k_max_output_in_reason);
  return line;
}

std::chrono::seconds effective_interval(std::chrono::seconds interval) {
  return interval.count() > 0 ? interval : std::chrono::seconds(1);
}

}  // namespace

check_runner::check_runner(check_settings settings, environment env, std::string sandbox, clock::time_point start)
    : settings_(std::move(settings)),
      env_(std::move(env)),
      sandbox_(std::move(sandbox)),
      next_start_(start + settings_.delay) {}

check_runner::~check_runner() { stop(); }

void check_runner::stop() {
  stopped_ = true;
  if (running_pid_ > 0) kill_and_reap(running_pid_);
  running_pid_ = 0;
}

std::string check_runner::output_path() const { return sandbox_ + "/" + settings_.kind + "_check.log"; }

clock::time_point check_runner::next_deadline() const {
  if (stopped_) return clock::time_point::max();
  if (running_pid_ > 0) {
    return settings_.timeout.count() > 0 ? running_since_ + settings_.timeout : clock::time_point::max();
  }
  return next_start_;
}

std::optional<check_result> check_runner::poll(clock::time_point now) {
  if (stopped_) return std::nullopt;
  if (running_pid_ > 0) {
    if (auto status = reap_if_exited(running_pid_)) {
      running_pid_ = 0;
      return finish(*status);
    }
    if (settings_.timeout.count() > 0 && now >= running_since_ + settings_.timeout) {
      kill_and_reap(running_pid_);
      running_pid_ = 0;
      return check_result{false, "timed out after " + std::to_string(settings_.timeout.count()) + "s", running_since_};
    }
    return std::nullopt;
  }
  if (now < next_start_) return std::nullopt;

  spawn_request request;
  request.argv = shell_argv(settings_.cmd);
  request.working_dir = sandbox_;
  request.env = env_;
  request.stdout_path = output_path();
  request.stderr_path = request.stdout_path;
  request.truncate_output = true;
  auto spawned = spawn(request);
  if (!spawned) {
    TERNMQ_LOG(warning) << settings_.kind << " check in " << sandbox_ << " could not start: " << spawned.err().message;
    next_start_ = now + effective_interval(settings_.interval);
    return check_result{false, "could not start: " + spawned.err().message, now};
  }
  running_pid_ = spawned->pid;
  running_since_ = now;
  // Checks start an interval apart; one that ran longer than that is followed at once.
  next_start_ = now + effective_interval(settings_.interval);
  return std::nullopt;
}

check_result check_runner::finish(int wait_status) {
  if (exited_successfully(wait_status)) return check_result{true, "", running_since_};
  std::string reason = describe_wait_status(wait_status);
  if (auto output = last_output_line(output_path()); !output.empty()) reason += ": " + output;
  return check_result{false, std::move(reason), running_since_};
}

}  // namespace ternmq::scheduler::local
