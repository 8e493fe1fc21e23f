// The local-mode HAProxy: runs /usr/sbin/haproxy as the scheduler's child with the configuration
// haproxy_config.hpp writes, and reloads it when that configuration changes, without dropping
// established client connections and without a moment where a frontend is unbound.
//
// How it reloads: a new HAProxy is started for every new configuration, with `-sf <old pids>` and,
// when the old one still answers on the admin socket, `-x <socket>`. The new process takes the
// listening sockets over from the old one (`-x`; without it, both bind with SO_REUSEPORT for a
// moment), and only once it is up does it tell the old process to finish (SIGUSR1, "soft stop"): the
// old one stops accepting and keeps serving its established connections until they close, then
// exits. If the new one fails to start, it exits before signalling and the old one keeps serving.
// Chosen over the master-worker mode (-W and SIGUSR2 to the master) because every HAProxy is then
// our own child: we reap each one with waitpid, see each failure as an exit status, and never
// signal a master that is re-executing itself (a SIGUSR2 arriving before the new image has
// installed its handler would kill it).
//
// One reload at a time: a new HAProxy is "ready" once it answers on the admin socket with its own
// pid (haproxy_admin.hpp), or, when the configuration has no admin socket of ours, after it has run
// for a second (after ten seconds in any case, with a warning). A configuration applied while the previous reload is not ready waits (the newest
// one replaces an older waiting one) and is started by `poll`. Starting reloads over each other
// makes them fail: the second takes its sockets from a process the first is stopping, or signals
// the first before it has bound anything.
//
// Every new configuration is first checked with `haproxy -c` and its TCP bind addresses probed
// (bind_probe.hpp); a refused one is not applied, the running HAProxy keeps serving the previous
// one, and `apply` returns HAProxy's complaint or the address in use. `<dir>/haproxy.cfg` is
// replaced atomically (written to `haproxy.cfg.new`, renamed) just before each start, so it holds
// the configuration of the newest HAProxy. HAProxy's stdout and stderr are appended to
// `<dir>/haproxy.stdout` and `<dir>/haproxy.stderr`; the last check's output is in
// `<dir>/haproxy-check.log`. The ids of the running HAProxy processes are kept in
// `<dir>/haproxy.pids`, and the first start kills those an earlier run left behind
// (haproxy_pid_file.hpp). Each HAProxy runs in the foreground (`-db`) in a process group of its own
// (child_process.hpp).
//
// Driven by its owner's event loop, no threads: `apply` and `stop` return at once (`apply` blocks
// only for the `haproxy -c` run, typically tens of milliseconds, killed after `check_timeout`), and
// `poll` reaps processes that exited, completes reloads, starts a waiting configuration and
// finishes a stop. Call `poll` every few hundred milliseconds (and on SIGCHLD, if the owner
// watches it). The owner must not reap children it did not start (`waitpid(-1)`, or SIGCHLD set to
// SIG_IGN): an HAProxy reaped elsewhere is taken for exited with status 0.
//
// Owned by the scheduler's local-mode runtime; not thread-safe. The destructor kills whatever is
// still running with SIGKILL and reaps it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/base/status.hpp"
#include "scheduler/edgelb/child_process.hpp"

namespace ternmq::scheduler::edgelb {

struct haproxy_process_options {
  std::filesystem::path directory;  // configuration, admin socket, logs; created if missing
  std::string haproxy = "/usr/sbin/haproxy";
  std::chrono::milliseconds check_timeout{10000};  // for `haproxy -c`
  std::chrono::milliseconds stop_grace{3000};      // SIGTERM, then SIGKILL after this
};

// An HAProxy that `poll` found exited.
struct haproxy_exit {
  pid_t pid = -1;
  int wait_status = 0;
  bool current = false;   // it was the newest HAProxy (not a finished old one)
  bool expected = false;  // it was stopped by `stop`, or was an old one told to finish
  std::string description;  // "haproxy 1234 exited with status 1 (see <dir>/haproxy.stderr)"
};

class haproxy_process {
 public:
  explicit haproxy_process(haproxy_process_options options);
  ~haproxy_process();
  haproxy_process(const haproxy_process&) = delete;
  haproxy_process& operator=(const haproxy_process&) = delete;

  // `<dir>/haproxy.cfg`.
  std::filesystem::path config_path() const;
  // `<dir>/haproxy.sock`, for `haproxy_settings::admin_socket`: with it, reloads take the listening
  // sockets over and are known to be complete. Empty when the path is too long for a Unix socket
  // (108 bytes); reloads then rebind and are paced by time.
  std::string admin_socket_path() const;

  // Makes HAProxy serve `config`: starts it if none runs, reloads if the text differs from the one
  // being served (now, or from `poll` once the previous reload is ready), does nothing if it is the
  // same. Fails, leaving what runs untouched, when the check refuses the text (the message quotes
  // HAProxy's alerts), when a port it binds is held by another program, when a file cannot be
  // written, when HAProxy cannot be started, or while a `stop` is in progress. That the new
  // HAProxy came up is seen later: `ready()` becomes true, or `poll` reports its exit (then an
  // older one, if any, keeps serving the previous configuration).
  core::status apply(const std::string& config);

  // Reaps HAProxy processes that exited, marks the newest ready, starts a configuration that was
  // waiting for it and, during a stop past its grace, kills what remains. Returns what exited since
  // the last call; an unexpected exit of the newest one is also logged.
  std::vector<haproxy_exit> poll();

  // Whether the newest HAProxy runs, as of the last `poll`.
  bool alive() const;
  // Whether it has also finished starting (see the header comment), as of the last `poll`.
  bool ready() const;
  // Whether a configuration waits for the newest HAProxy to be ready.
  bool reload_pending() const { return pending_.has_value(); }
  // The newest HAProxy's process id, or -1 when it does not run.
  pid_t pid() const;
  // The configuration text the newest HAProxy was started with (empty before the first start).
  const std::string& current_config() const;

  // Starts stopping every HAProxy and drops a waiting configuration: SIGTERM now, SIGKILL
  // `stop_grace` later (from `poll`). Clients are disconnected. `stopped()` is true once `poll`
  // has reaped them all; `apply` may start again after that.
  void stop();
  bool stopped() const;

 private:
  struct instance {
    child_process process;
    std::string config;
    std::chrono::steady_clock::time_point started;
    bool ready = false;
  };

  core::status check(const std::string& config) const;
  core::status start(const std::string& config);
  void update_readiness();
  std::vector<std::string> command_line() const;
  bool exposes_admin_socket(const std::string& config) const;
  std::vector<pid_t> running_pids() const;  // oldest first
  void record_pids() const;
  haproxy_exit describe(const instance& i, bool current) const;

  haproxy_process_options options_;
  std::optional<instance> current_;
  std::vector<instance> old_;  // earlier generations still finishing their connections
  std::optional<std::string> pending_;
  bool stopping_ = false;
  bool killed_ = false;
  std::chrono::steady_clock::time_point kill_at_{};
};

// The `maxconn` to write into haproxy.cfg: `wanted`, or less when this process's hard limit on
// open files could not hold it. HAProxy needs about two descriptors per connection plus a few
// hundred of its own, and refuses to start when it cannot raise its limit that far.
int fitting_maxconn(int wanted);

}  // namespace ternmq::scheduler::edgelb
