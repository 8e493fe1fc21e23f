// Parsing the scheduler URL and choosing it from flag, environment or default.
#include "scheduler/cli/scheduler_url.hpp"

#include <charconv>

namespace ternmq::scheduler::cli {
namespace {

core::error bad_url(std::string_view text, const std::string& why) {
  return core::error{1, "invalid scheduler URL \"" + std::string(text) + "\": " + why};
}

}  // namespace

core::result<scheduler_url> parse_scheduler_url(std::string_view text) {
  constexpr std::string_view scheme = "http://";
  if (text.starts_with("https://")) return bad_url(text, "https is not supported, use http://");
  if (!text.starts_with(scheme)) return bad_url(text, "expected http://host[:port][/path]");
  std::string_view rest = text.substr(scheme.size());
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);

  scheduler_url out;
  out.text = std::string(text);
  out.base_path = std::string(path);
  std::string_view port_text;
  if (authority.starts_with('[')) {  // IPv6 literal
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad_url(text, "unclosed [ in the host");
    out.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return bad_url(text, "unexpected text after the host");
    if (!after.empty()) port_text = after.substr(1);
  } else {
    const std::size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) return bad_url(text, "no host");
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 || value > 65535) {
      return bad_url(text, "bad port \"" + std::string(port_text) + "\"");
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  return out;
}

std::string choose_scheduler_url(const std::optional<std::string>& flag, const std::optional<std::string>& env) {
  if (flag) return *flag;
  if (env && !env->empty()) return *env;
  return std::string(k_default_scheduler_url);
}

}  // namespace ternmq::scheduler::cli
