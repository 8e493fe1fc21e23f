#include "scheduler/edgelb/haproxy_process.hpp"

#include <sys/resource.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/base/log.hpp"
#include "scheduler/edgelb/bind_probe.hpp"
#include "scheduler/edgelb/haproxy_admin.hpp"
#include "scheduler/edgelb/haproxy_pid_file.hpp"

namespace ternmq::scheduler::edgelb {
namespace {

constexpr std::size_t k_max_message = 2000;
constexpr std::chrono::milliseconds k_admin_timeout{100};
// How long an HAProxy without our admin socket must run before it counts as ready; and how long
// one with it may stay silent before it counts as ready anyway, so a waiting configuration is never
// stuck behind it.
constexpr std::chrono::milliseconds k_ready_without_socket{1000};
constexpr std::chrono::milliseconds k_ready_at_the_latest{10000};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

core::status write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return core::status::failure("cannot write " + path.string());
  return core::status::success();
}

// What `haproxy -c` said that matters: its ALERT lines, else everything, shortened.
std::string check_complaint(const std::string& output) {
  std::string alerts;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("[ALERT]") != std::string::npos) alerts += (alerts.empty() ? "" : "\n") + line;
  }
  std::string text = alerts.empty() ? output : alerts;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.size() > k_max_message) text = text.substr(0, k_max_message) + "...";
  return text;
}

}  // namespace

haproxy_process::haproxy_process(haproxy_process_options options) : options_(std::move(options)) {}

haproxy_process::~haproxy_process() {
  if (current_) current_->process.kill_and_reap();
  for (auto& i : old_) i.process.kill_and_reap();
  record_pids();
}

std::filesystem::path haproxy_process::config_path() const { return options_.directory / "haproxy.cfg"; }

std::string haproxy_process::admin_socket_path() const {
  const std::string path = (options_.directory / "haproxy.sock").string();
  return path.size() < sizeof(sockaddr_un{}.sun_path) ? path : std::string();
}

bool haproxy_process::alive() const { return current_ && current_->process.running(); }

bool haproxy_process::ready() const { return alive() && current_->ready; }

pid_t haproxy_process::pid() const { return alive() ? current_->process.pid() : -1; }

const std::string& haproxy_process::current_config() const {
  static const std::string none;
  return current_ ? current_->config : none;
}

bool haproxy_process::exposes_admin_socket(const std::string& config) const {
  const std::string socket = admin_socket_path();
  return !socket.empty() && config.find("stats socket " + socket + " ") != std::string::npos &&
         config.find("expose-fd listeners") != std::string::npos;
}

core::status haproxy_process::check(const std::string& config) const {
  const auto candidate = options_.directory / "haproxy.cfg.check";
  const auto log = options_.directory / "haproxy-check.log";
  std::error_code ignored;
  std::filesystem::remove(log, ignored);
  if (auto s = write_file(candidate, config); !s) return s;
  auto child = child_process::spawn({options_.haproxy, "-c", "-f", candidate.string()}, log, log);
  if (!child) return core::status::failure(child.err().message);
  const int status = child->wait_until(std::chrono::steady_clock::now() + options_.check_timeout);
  std::filesystem::remove(candidate, ignored);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return core::status::failure("haproxy -c refused the configuration (" + describe_wait_status(status) +
                                 "):\n" + check_complaint(read_file(log)));
  }
  for (const auto& address : config_binds(config)) {
    if (auto s = probe_bind(address); !s) return core::status::failure(s.message() + "; haproxy would not start");
  }
  return core::status::success();
}

std::vector<std::string> haproxy_process::command_line() const {
  std::vector<std::string> argv{options_.haproxy, "-db", "-f", config_path().string()};
  const auto running = running_pids();
  if (running.empty()) return argv;
  // Take the listeners over from whichever of ours answers on the admin socket: an HAProxy that
  // answers there has not been told to finish, so it still holds them.
  if (const auto holder = admin_socket_pid(admin_socket_path(), k_admin_timeout);
      holder && std::find(running.begin(), running.end(), *holder) != running.end()) {
    argv.push_back("-x");
    argv.push_back(admin_socket_path());
  }
  argv.push_back("-sf");
  for (pid_t pid : running) argv.push_back(std::to_string(pid));
  return argv;
}

core::status haproxy_process::start(const std::string& config) {
  const auto candidate = options_.directory / "haproxy.cfg.new";
  if (auto s = write_file(candidate, config); !s) return s;
  std::error_code ec;
  std::filesystem::rename(candidate, config_path(), ec);
  if (ec) return core::status::failure("cannot replace " + config_path().string() + ": " + ec.message());
  if (!current_ && old_.empty()) {
    for (pid_t pid : kill_leftover_haproxy(options_.directory / "haproxy.pids", config_path())) {
      TERNMQ_LOG(warning) << "edgelb: killed haproxy " << pid << ", left over from an earlier run";
    }
  }
  const auto argv = command_line();
  auto child = child_process::spawn(argv, options_.directory / "haproxy.stdout", options_.directory / "haproxy.stderr");
  if (!child) return core::status::failure(child.err().message);
  std::string how = "started";
  if (std::find(argv.begin(), argv.end(), "-sf") != argv.end()) how = "reloaded";
  if (std::find(argv.begin(), argv.end(), "-x") != argv.end()) how += " (taking the listeners over)";
  TERNMQ_LOG(info) << "edgelb: haproxy " << child->pid() << " " << how << " with " << config_path().string();
  if (current_) old_.push_back(std::move(*current_));
  current_.emplace(instance{std::move(child).value(), config, std::chrono::steady_clock::now(), false});
  record_pids();
  return core::status::success();
}

core::status haproxy_process::apply(const std::string& config) {
  if (stopping_) {
    if (!stopped()) return core::status::failure("haproxy is stopping");
    stopping_ = false;
    killed_ = false;
  }
  if (alive() && current_->config == config) {
    pending_.reset();  // back to what runs: a waiting configuration is dropped
    return core::status::success();
  }
  if (pending_ == config) return core::status::success();

  std::error_code ec;
  std::filesystem::create_directories(options_.directory, ec);
  if (ec) return core::status::failure("cannot create " + options_.directory.string() + ": " + ec.message());
  if (auto s = check(config); !s) return s;
  if (alive() && !current_->ready) {
    pending_ = config;
    return core::status::success();
  }
  pending_.reset();
  return start(config);
}

void haproxy_process::update_readiness() {
  if (!alive() || current_->ready) return;
  const auto running_for = std::chrono::steady_clock::now() - current_->started;
  if (!exposes_admin_socket(current_->config)) {
    current_->ready = running_for >= k_ready_without_socket;
  } else if (admin_socket_pid(admin_socket_path(), k_admin_timeout) == current_->process.pid()) {
    current_->ready = true;
  } else if (running_for >= k_ready_at_the_latest) {
    TERNMQ_LOG(warning) << "edgelb: haproxy " << current_->process.pid() << " does not answer on "
                        << admin_socket_path() << "; taking it as started";
    current_->ready = true;
  }
}

std::vector<pid_t> haproxy_process::running_pids() const {
  std::vector<pid_t> pids;
  for (const auto& i : old_) {
    if (i.process.running()) pids.push_back(i.process.pid());
  }
  if (alive()) pids.push_back(current_->process.pid());
  return pids;
}

void haproxy_process::record_pids() const {
  if (auto s = write_haproxy_pids(options_.directory / "haproxy.pids", running_pids()); !s) {
    TERNMQ_LOG(warning) << "edgelb: " << s.message();
  }
}

haproxy_exit haproxy_process::describe(const instance& i, bool current) const {
  haproxy_exit e;
  e.pid = i.process.pid();
  e.wait_status = i.process.status().value_or(0);
  e.current = current;
  e.expected = stopping_ || !current;
  e.description = "haproxy " + std::to_string(e.pid) + " " + describe_wait_status(e.wait_status) + " (see " +
                  (options_.directory / "haproxy.stderr").string() + ")";
  return e;
}

std::vector<haproxy_exit> haproxy_process::poll() {
  std::vector<haproxy_exit> exits;
  if (current_ && current_->process.running() && current_->process.try_reap()) {
    exits.push_back(describe(*current_, true));
    if (!exits.back().expected) TERNMQ_LOG(warning) << "edgelb: " << exits.back().description;
  }
  for (auto it = old_.begin(); it != old_.end();) {
    if (it->process.try_reap()) {
      exits.push_back(describe(*it, false));
      TERNMQ_LOG(debug) << "edgelb: old " << exits.back().description;
      it = old_.erase(it);
    } else {
      ++it;
    }
  }
  if (!exits.empty()) record_pids();
  update_readiness();
  if (pending_ && !stopping_ && (!alive() || current_->ready)) {
    const std::string config = std::move(*pending_);
    pending_.reset();
    if (auto s = start(config); !s) TERNMQ_LOG(error) << "edgelb: cannot start the waiting configuration: " << s.message();
  }
  if (stopping_ && !killed_ && !stopped() && std::chrono::steady_clock::now() >= kill_at_) {
    killed_ = true;
    TERNMQ_LOG(warning) << "edgelb: haproxy did not stop within " << options_.stop_grace.count() << " ms; killing it";
    if (current_) current_->process.signal_group(SIGKILL);
    for (const auto& i : old_) i.process.signal_group(SIGKILL);
  }
  return exits;
}

void haproxy_process::stop() {
  pending_.reset();
  if (!stopping_) {
    stopping_ = true;
    kill_at_ = std::chrono::steady_clock::now() + options_.stop_grace;
  }
  if (current_) current_->process.signal_group(SIGTERM);
  for (const auto& i : old_) i.process.signal_group(SIGTERM);
}

bool haproxy_process::stopped() const {
  return !alive() && std::none_of(old_.begin(), old_.end(), [](const instance& i) { return i.process.running(); });
}

int fitting_maxconn(int wanted) {
  constexpr rlim_t k_reserve = 500;  // HAProxy's own descriptors: listeners, checks, logs, pipes
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_max == RLIM_INFINITY) return wanted;
  if (limit.rlim_max <= 2 * k_reserve) return 1;
  const rlim_t fits = (limit.rlim_max - k_reserve) / 2;
  return fits < static_cast<rlim_t>(wanted) ? static_cast<int>(fits) : wanted;
}

}  // namespace ternmq::scheduler::edgelb
