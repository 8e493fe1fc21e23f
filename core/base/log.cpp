#include "core/base/log.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace core::log {
namespace {
std::atomic<level> g_level{level::info};

const char* name(level l) {
  switch (l) {
    case level::debug: return "debug";
    case level::info: return "info";
    case level::warning: return "warning";
    case level::error: return "error";
    case level::none: return "none";
  }
  return "?";
}
}  // namespace

bool parse_level(std::string_view text, level& out) {
  for (level l : {level::debug, level::info, level::warning, level::error, level::none}) {
    if (text == name(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

void set_level(level l) { g_level.store(l, std::memory_order_relaxed); }
level current_level() { return g_level.load(std::memory_order_relaxed); }
bool enabled(level l) { return l >= current_level() && l != level::none; }

void write(level l, std::string_view line) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t t = system_clock::to_time_t(now);
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[96];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  std::string out;
  out.reserve(line.size() + 48);
  out.append(stamp).append(" [").append(name(l)).append("] ").append(line).push_back('\n');
  // One write(2) per line keeps concurrent lines whole.
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, out.data(), out.size());
}

}  // namespace core::log
