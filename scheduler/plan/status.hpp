// The status of a plan element (plan, phase or step) with the DC/OS SDK's names, and the roll-up
// that derives a parent's status from its children (SDK `Status` and `PlanUtils.getAggregateStatus`).
// Pure values and functions; safe to call from any thread.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace ternmq::scheduler::plans {

// In the SDK's order. A step stores only `pending`, `prepared`, `starting`, `started`, `complete`
// (and `error` through its errors); `waiting` and `delayed` are shown for a step that is interrupted
// or backing off; `in_progress` is only ever derived for a phase or a plan.
enum class status {
  error,        // The element is invalid (for example its config failed validation).
  waiting,      // The element is interrupted, or a child it waits for is.
  pending,      // Waiting for offers.
  prepared,     // Offers are being evaluated; tasks being replaced have been killed.
  starting,     // Launch operations have been sent.
  started,      // Tasks are running; the readiness check has not passed yet.
  complete,
  delayed,      // Launch backoff: the step may not launch until the delay ends.
  in_progress,  // A phase or plan with work under way.
};

// The SDK spelling: "ERROR", "WAITING", ..., "IN_PROGRESS".
std::string_view to_string(status s);
std::optional<status> parse_status(std::string_view text);

// True for the states of an element with work left and nothing stopping it: PENDING, PREPARED,
// STARTING, STARTED and IN_PROGRESS (SDK `Status.isRunning`, plus STARTED).
bool is_running(status s);

// A parent's status from the statuses of all its `children`, of the children its strategy offers
// as candidates now (`candidates`), whether it has errors of its own or below it, and whether it
// is interrupted. The rules are the SDK's, in the SDK's order (first match wins):
//   errors or any child ERROR                              -> ERROR
//   every child COMPLETE (or no children)                  -> COMPLETE
//   every child and every candidate DELAYED                -> DELAYED
//   interrupted                                            -> WAITING
//   any child PREPARED                                     -> IN_PROGRESS
//   any candidate WAITING                                  -> WAITING
//   any candidate IN_PROGRESS                              -> IN_PROGRESS
//   any child COMPLETE and a candidate PENDING, STARTING
//     or STARTED                                           -> IN_PROGRESS
//   any candidate PENDING                                  -> PENDING
//   any child WAITING                                      -> WAITING
//   any candidate STARTING                                 -> STARTING
//   any candidate STARTED                                  -> STARTED
// Where the SDK then reports ERROR ("unexpected state"), which would turn a plan's GET into a 417
// while nothing is wrong, these rules follow:
//   any candidate or child DELAYED                         -> DELAYED   (e.g. [COMPLETE, DELAYED])
//   any child PREPARED, STARTING, STARTED or IN_PROGRESS   -> IN_PROGRESS
//   any child PENDING                                      -> PENDING
//   otherwise                                              -> ERROR
status aggregate_status(std::span<const status> children, std::span<const status> candidates,
                        bool has_errors, bool interrupted);

}  // namespace ternmq::scheduler::plans
