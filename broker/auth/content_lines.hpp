// Walks the meaningful lines of a password or ACL file: trimmed, skipping blank lines and `#`
// comments, counting line numbers for error messages. Pure.
#pragma once

#include <cstddef>
#include <string_view>

namespace ternmq::auth {

// `s` without leading and trailing blanks (space, tab, CR).
std::string_view trim(std::string_view s);

class content_lines {
 public:
  explicit content_lines(std::string_view text) : text_(text) {}

  // Moves to the next line that is neither blank nor a comment; false at the end.
  bool next();
  std::string_view line() const { return line_; }
  int number() const { return number_; }  // 1-based, counting every line of the file

 private:
  std::string_view text_;
  std::size_t start_ = 0;
  std::string_view line_;
  int number_ = 0;
};

}  // namespace ternmq::auth
