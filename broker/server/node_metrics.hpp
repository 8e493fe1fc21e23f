// The node's metrics as one list of named values, read by the $SYS publisher (and later by the
// Prometheus endpoint and ternmq-admin). Names follow VerneMQ's where one exists.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "broker/server/broker_context.hpp"

namespace ternmq::server {

struct metric {
  std::string name;
  std::uint64_t value = 0;
  std::string help;
};

std::vector<metric> collect_metrics(const broker_context& ctx);

}  // namespace ternmq::server
