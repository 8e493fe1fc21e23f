#include "scheduler/cosmos/template_context.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "scheduler/cosmos/options.hpp"

namespace ternmq::scheduler::cosmos {
namespace {

constexpr double k_int_min = std::numeric_limits<std::int32_t>::min();
constexpr double k_int_max = std::numeric_limits<std::int32_t>::max();

std::string to_chars_string(double value, std::chars_format format) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, format);
  return ec == std::errc{} ? std::string(buf, end) : std::string();
}

std::string number(const nlohmann::json& value) {
  const double d = value.get<double>();
  if (std::isfinite(d) && d == std::trunc(d) && d >= k_int_min && d <= k_int_max) {
    // Whole numbers within 32 bits are Java Ints. Exact for integers read as such; a float here is
    // whole and small, so the conversion is exact too.
    return std::to_string(value.is_number_float() ? static_cast<std::int64_t>(d) : value.get<std::int64_t>());
  }
  return java_double(d);
}

void flatten(const nlohmann::json& value, const std::string& prefix, spec::mustache_context& out) {
  if (value.is_object()) {
    for (const auto& [name, member] : value.items()) flatten(member, prefix.empty() ? name : prefix + "." + name, out);
  } else if (!value.is_array() && !prefix.empty()) {
    out[prefix] = cosmos_scalar(value);
  }
}

}  // namespace

std::string java_double(double value) {
  if (value == 0) return "0.0";
  if (!std::isfinite(value)) return std::isnan(value) ? "NaN" : (value > 0 ? "Infinity" : "-Infinity");
  const double a = std::fabs(value);
  const std::string sign = value < 0 ? "-" : "";
  if (a >= 1e-3 && a < 1e7) {
    std::string fixed = to_chars_string(a, std::chars_format::fixed);  // shortest digits that round-trip
    if (fixed.find('.') == std::string::npos) fixed += ".0";
    return sign + fixed;
  }
  // "4.294967295e+09" -> "4.294967295E9", "1e-04" -> "1.0E-4".
  const std::string sci = to_chars_string(a, std::chars_format::scientific);
  const auto e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  const int exponent = std::stoi(sci.substr(e + 1));
  return sign + mantissa + "E" + std::to_string(exponent);
}

std::string cosmos_scalar(const nlohmann::json& value) {
  if (value.is_string()) {
    // ASCII only, as Universe wants package files; invalid UTF-8 (possible only in options built in
    // code, the JSON parser refuses it) becomes U+FFFD instead of an exception.
    const std::string quoted = value.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
    return quoted.substr(1, quoted.size() - 2);
  }
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return number(value);
  if (value.is_null()) return "";
  return value.dump();
}

spec::mustache_context template_context(const nlohmann::json& options, const nlohmann::json& resource) {
  spec::mustache_context out;
  flatten(merge_options(options, nlohmann::json{{"resource", resource}}), "", out);
  return out;
}

}  // namespace ternmq::scheduler::cosmos
