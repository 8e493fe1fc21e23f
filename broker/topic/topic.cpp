#include "broker/topic/topic.hpp"

#include <vector>

namespace ternmq::topic {

bool is_valid_name(std::string_view name) {
  return !name.empty() && name.find_first_of("+#") == std::string_view::npos;
}

bool is_valid_filter(std::string_view filter) {
  if (filter.empty()) return false;
  std::size_t level_start = 0;
  for (std::size_t i = 0; i <= filter.size(); ++i) {
    if (i == filter.size() || filter[i] == '/') {
      const std::string_view level = filter.substr(level_start, i - level_start);
      if (level.size() > 1 && level.find_first_of("+#") != std::string_view::npos) return false;
      if (level == "#" && i != filter.size()) return false;
      level_start = i + 1;
    }
  }
  return true;
}

bool matches(std::string_view filter, std::string_view name) {
  if (!name.empty() && name.front() == '$' && !filter.empty() && (filter.front() == '+' || filter.front() == '#'))
    return false;
  std::size_t f = 0;
  std::size_t n = 0;
  while (true) {
    const std::size_t f_end = std::min(filter.find('/', f), filter.size());
    const std::string_view flevel = filter.substr(f, f_end - f);
    if (flevel == "#") return true;  // matches this level and everything below, also the parent
    if (n > name.size()) {
      return false;
    }
    const std::size_t n_end = std::min(name.find('/', n), name.size());
    const std::string_view nlevel = name.substr(n, n_end - n);
    if (flevel != "+" && flevel != nlevel) return false;
    const bool f_last = f_end == filter.size();
    const bool n_last = n_end == name.size();
    if (f_last && n_last) return true;
    if (n_last) {
      // "a/#" matches "a": the remaining filter must be exactly "/#".
      return filter.substr(f_end) == "/#";
    }
    if (f_last) return false;
    f = f_end + 1;
    n = n_end + 1;
  }
}

bool is_shared(std::string_view filter) { return filter.starts_with("$share/"); }

std::optional<shared_filter> parse_shared(std::string_view filter) {
  if (!is_shared(filter)) return std::nullopt;
  const std::string_view rest = filter.substr(7);
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  const std::string_view group = rest.substr(0, slash);
  const std::string_view inner = rest.substr(slash + 1);
  if (group.find_first_of("+#") != std::string_view::npos) return std::nullopt;
  if (!is_valid_filter(inner)) return std::nullopt;
  return shared_filter{std::string(group), std::string(inner)};
}

}  // namespace ternmq::topic
