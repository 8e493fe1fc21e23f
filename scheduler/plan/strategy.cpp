#include "scheduler/plan/strategy.hpp"

namespace ternmq::scheduler::plans {

std::string_view to_string(strategy s) {
  switch (s) {
    case strategy::serial:
      return "serial";
    case strategy::parallel:
      return "parallel";
    case strategy::serial_canary:
      return "serial-canary";
    case strategy::parallel_canary:
      return "parallel-canary";
  }
  return "unknown";
}

std::optional<strategy> parse_strategy(std::string_view text) {
  if (text == "serial") return strategy::serial;
  if (text == "parallel") return strategy::parallel;
  if (text == "serial-canary" || text == "canary") return strategy::serial_canary;
  if (text == "parallel-canary") return strategy::parallel_canary;
  return std::nullopt;
}

strategy without_canary(strategy s) {
  return s == strategy::parallel || s == strategy::parallel_canary ? strategy::parallel : strategy::serial;
}

bool is_canary(strategy s) { return s == strategy::serial_canary || s == strategy::parallel_canary; }

}  // namespace ternmq::scheduler::plans
