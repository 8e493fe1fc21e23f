// Which host ports an agent of the local backend can offer. All local agents share one address,
// so a port a task uses on any agent is taken on all of them, and so is a port another process on
// this machine holds: those are found by trying to bind it (as the broker will), since the
// scheduler cannot know every process on the machine.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "scheduler/model/port_spec.hpp"

namespace ternmq::scheduler::local {

// True when a TCP socket can be bound to `ip`:`port` right now (with SO_REUSEADDR, as servers
// bind, so a port only in TIME_WAIT counts as free; a listener on 0.0.0.0 makes it taken).
bool can_bind(const std::string& ip, std::uint16_t port);

using port_probe = std::function<bool(std::uint16_t)>;

// `range` minus `used` minus the ports `bindable` refuses, as inclusive ranges in order.
std::vector<model::port_range> free_port_ranges(model::port_range range, const std::set<std::uint16_t>& used,
                                                const port_probe& bindable);

}  // namespace ternmq::scheduler::local
