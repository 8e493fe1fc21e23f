// Parsing /proc/<pid>/stat, whose second field (the command name) may contain spaces and ')'.
#include "scheduler/local/proc_stat.hpp"

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/local/file_io.hpp"

namespace ternmq::scheduler::local {
namespace {

template <class Int>
bool parse_number(std::string_view text, Int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::optional<proc_stat> read_proc_stat(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  const std::string line = read_whole_file("/proc/" + std::to_string(pid) + "/stat").value_or("");
  // Field 2 is the command name in parentheses and may itself contain spaces and ')': the fields
  // we want all follow the last ')'.
  const auto name_end = line.rfind(')');
  if (name_end == std::string::npos) return std::nullopt;
  std::vector<std::string_view> fields;  // fields[0] is field 3
  std::string_view rest(line);
  rest.remove_prefix(name_end + 1);
  while (!rest.empty()) {
    const auto start = rest.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const auto end = rest.find_first_of(" \n");
    fields.push_back(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end);
  }
  if (fields.size() < 20 || fields[0].size() != 1) return std::nullopt;
  proc_stat stat;
  stat.state = fields[0][0];
  if (!parse_number(fields[1], stat.parent) || !parse_number(fields[2], stat.process_group) ||
      !parse_number(fields[19], stat.start_time)) {
    return std::nullopt;
  }
  return stat;
}

std::optional<std::uint64_t> process_start_time(pid_t pid) {
  auto stat = read_proc_stat(pid);
  if (!stat) return std::nullopt;
  return stat->start_time;
}

bool is_same_process(pid_t pid, std::uint64_t start_time) {
  auto stat = read_proc_stat(pid);
  return stat && stat->start_time == start_time;
}

bool is_same_process_running(pid_t pid, std::uint64_t start_time) {
  auto stat = read_proc_stat(pid);
  return stat && stat->start_time == start_time && stat->state != 'Z' && stat->state != 'X';
}

}  // namespace ternmq::scheduler::local
