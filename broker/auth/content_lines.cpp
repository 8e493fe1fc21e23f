#include "broker/auth/content_lines.hpp"

#include <algorithm>

namespace ternmq::auth {

std::string_view trim(std::string_view s) {
  constexpr std::string_view k_blanks = " \t\r";
  const std::size_t first = s.find_first_not_of(k_blanks);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(k_blanks) - first + 1);
}

bool content_lines::next() {
  while (start_ < text_.size()) {
    const std::size_t end = std::min(text_.find('\n', start_), text_.size());
    line_ = trim(text_.substr(start_, end - start_));
    start_ = end + 1;
    ++number_;
    if (!line_.empty() && line_.front() != '#') return true;
  }
  return false;
}

}  // namespace ternmq::auth
