// Choosing host port numbers for a pod's ports from an offer's free port ranges, as dcos-commons'
// PortEvaluationStage does:
//   - a fixed port (`port: N`, N > 0) gets N, which must be free in the offer;
//   - a dynamic port (`port: 0`) reserved by an earlier launch of this pod instance gets that number
//     again, which must be free (an in-place relaunch keeps its ports, so clients and DNS SRV records
//     stay right). A reservation that a fixed port of the pod now claims is dropped: the spec wins;
//   - any other dynamic port gets the lowest free port of the offer, within its own `ranges` if it
//     has any, and never a number another port of the pod has.
// Fixed and reserved numbers are settled first, so a dynamic port cannot take one of them.
//
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/base/status.hpp"
#include "scheduler/backend/offer.hpp"
#include "scheduler/model/port_spec.hpp"

namespace ternmq::scheduler::offers {

using port_map = std::map<std::string, std::uint16_t>;  // port name -> host port

// Success when the ports can coexist on one agent: no name twice, no fixed number twice
// ("ports mqtt and mqtt-alt both ask for 1883"). A spec error: no offer can fix it.
core::status check_port_specs(const std::vector<model::port_spec>& ports);

// The numbers chosen, or why the offer cannot supply them.
struct port_assignment {
  port_map ports;      // meaningful when `reason` is empty
  std::string reason;  // "port mqtt 1883 not free on agent-1", "no free port for websocket on agent-1 within 8000-8010"
  bool ok() const { return reason.empty(); }
};

// REQUIRES: `check_port_specs(ports)` succeeds.
port_assignment assign_ports(const std::vector<model::port_spec>& ports, const port_map& reserved,
                             const backend::offer& offer);

}  // namespace ternmq::scheduler::offers
