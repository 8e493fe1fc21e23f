// Shared by the local backend's tests: a manual clock, a temporary work_dir, helpers to read
// files and to wait for conditions on real processes (polling with a generous deadline, never
// asserting on timing), and the clean-up that kills every process a test left behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "scheduler/local/clock.hpp"

namespace ternmq::scheduler::local::test_support {

class manual_clock final : public clock {
 public:
  time_point now() const override { return now_; }
  void advance(std::chrono::milliseconds by) { now_ += by; }

 private:
  time_point now_{std::chrono::hours(1000)};
};

// A fresh directory under the system's temporary directory, removed with its contents.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);
std::vector<std::string> lines_of(const std::string& text);

// Calls `condition` every few milliseconds (after `step`, if given) until it holds or `limit`
// passes; returns whether it held. Generous by default: the machine may be loaded.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds limit = std::chrono::seconds(10),
                const std::function<void()>& step = {});

// Processes whose parent is this test process, and those of them that are zombies.
std::vector<pid_t> children_of_this_process();
std::vector<pid_t> zombie_children();

// Sends SIGKILL to every child of this process and its group, then reaps them all: what a test
// started never outlives it.
void kill_and_reap_children();

}  // namespace ternmq::scheduler::local::test_support
