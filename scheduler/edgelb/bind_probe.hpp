// A pre-flight for haproxy_process: are the TCP addresses a new haproxy.cfg binds free for HAProxy?
//
// `haproxy -c` does not bind, so a port another program holds passes the check and only fails
// when the new HAProxy starts. Such a failed reload is not harmless: before giving up, HAProxy
// asks the old process to pause its listeners (SIGTTOU) and retries for about two seconds, during
// which the frontends refuse clients, then resumes them (SIGTTIN). Probing the addresses first
// turns the common case, a port taken by someone else, into an error from `apply` with the old
// HAProxy untouched.
//
// A probe binds a socket the way HAProxy does on Linux (SO_REUSEADDR and SO_REUSEPORT) and closes
// it without listening, so it succeeds beside a running HAProxy of the same user (whose sockets
// allow the sharing) and fails when another program holds the address. It is a check, not a
// reservation: a program may still take the port in the moment before HAProxy binds it.
//
// Stateless; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "core/base/status.hpp"
#include "scheduler/edgelb/haproxy_config.hpp"

namespace ternmq::scheduler::edgelb {

// The `ip:port` and `[ipv6]:port` addresses of the `bind` lines of `config`, in order. Binds on
// Unix sockets, on named interfaces or with address prefixes (`unix@`, `ipv4@`...) are left out.
std::vector<bind_address> config_binds(std::string_view config);

// Fails, with the system's reason, when `address` cannot be bound beside a HAProxy.
core::status probe_bind(const bind_address& address);

}  // namespace ternmq::scheduler::edgelb
