// The time source of the local backend. Check delays, intervals and timeouts and kill grace
// periods are measured on it; process exits are real whatever the clock says. Production uses
// `real_clock` (steady time); tests inject a manual clock and advance it, so a test of a 30-second
// grace period does not wait 30 seconds (Mesos `Clock::advance`).
#pragma once

#include <chrono>

namespace ternmq::scheduler::local {

class clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~clock() = default;
  virtual time_point now() const = 0;
};

class real_clock final : public clock {
 public:
  time_point now() const override { return std::chrono::steady_clock::now(); }
};

}  // namespace ternmq::scheduler::local
