// Process-wide logger: levelled lines on stderr (one write per line, so lines from several
// threads never interleave). Thread-safe. The level is set once at start-up and on SIGHUP.
#pragma once

#include <atomic>
#include <sstream>
#include <string_view>

namespace core::log {

enum class level { debug = 0, info = 1, warning = 2, error = 3, none = 4 };

// Parses "debug", "info", "warning", "error", "none"; returns false on anything else.
bool parse_level(std::string_view text, level& out);
void set_level(level l);
level current_level();
bool enabled(level l);
void write(level l, std::string_view line);

namespace detail {
class line_builder {
 public:
  explicit line_builder(level l) : level_(l) {}
  ~line_builder() { write(level_, out_.str()); }
  line_builder(const line_builder&) = delete;
  line_builder& operator=(const line_builder&) = delete;
  template <class T>
  line_builder& operator<<(const T& v) {
    out_ << v;
    return *this;
  }

 private:
  level level_;
  std::ostringstream out_;
};
}  // namespace detail
}  // namespace core::log

namespace core::log::detail {

// Lowers `operator<<` chains to void so the macro is one expression (no dangling else).
struct voidify {
  void operator&(const line_builder&) const {}
};
}  // namespace core::log::detail

#define TERNMQ_LOG(lvl)                                           \
  !::core::log::enabled(::core::log::level::lvl)                  \
      ? static_cast<void>(0)                                      \
      : ::core::log::detail::voidify() & ::core::log::detail::line_builder(::core::log::level::lvl)
