// How a phase orders its steps, or a plan its phases (SDK `SerialStrategy`, `ParallelStrategy`).
// Pure; safe to call from any thread on elements no other thread mutates.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "scheduler/plan/status.hpp"

namespace ternmq::scheduler::plans {

enum class strategy {
  serial,    // One element at a time, in order: the next only once the previous is COMPLETE.
  parallel,  // Every element that is not COMPLETE at once.
  // Phases only (SDK `CanaryStrategy`): the first step waits for an operator `continue`; once it
  // is COMPLETE a second `continue` releases the second step and, with it, the rest under the
  // serial or parallel rule.
  serial_canary,
  parallel_canary,
};

// "serial", "parallel", "serial-canary", "parallel-canary": as in svc.yml and the plan JSON.
std::string_view to_string(strategy s);
// Parses those, and "canary" as "serial-canary"; `nullopt` for anything else.
std::optional<strategy> parse_strategy(std::string_view text);
// `serial` for the serial strategies, `parallel` for the parallel ones.
strategy without_canary(strategy s);
bool is_canary(strategy s);

// The elements `s` (serial or parallel) lets work now, in order (SDK `Strategy.getCandidates`).
// Serial: the first element whose status is not COMPLETE, if `eligible` accepts it; nothing
// otherwise (an ineligible first element, e.g. an interrupted or failed step, blocks the ones after
// it). Parallel: every element that is not COMPLETE and that `eligible` accepts. `Element` has
// `status()`; `Eligible` is `bool(const Element&)`. The caller handles its own interruption (an
// interrupted parent offers none) and canaries (see `phase`).
template <class Element, class Eligible>
std::vector<Element*> select_candidates(strategy s, std::span<Element> elements, Eligible&& eligible) {
  std::vector<Element*> out;
  for (Element& e : elements) {
    if (e.status() == status::complete) continue;
    if (eligible(static_cast<const Element&>(e))) out.push_back(&e);
    if (without_canary(s) == strategy::serial) break;
  }
  return out;
}

}  // namespace ternmq::scheduler::plans
