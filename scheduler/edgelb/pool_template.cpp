#include "scheduler/edgelb/pool_template.hpp"

#include "scheduler/edgelb/edgelb_errc.hpp"
#include "scheduler/edgelb/pool_parser.hpp"

namespace ternmq::scheduler::edgelb {
namespace {

std::string compact_json(const nlohmann::json& value) {
  // Invalid UTF-8 in an option is replaced rather than thrown on: options come from outside.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A leaf as Cosmos hands it to the template (see the header).
std::string leaf_text(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::string: {
      const std::string quoted = compact_json(value);
      return quoted.substr(1, quoted.size() - 2);
    }
    case nlohmann::json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::null: return "";
    default: return compact_json(value);
  }
}

void flatten(const nlohmann::json& value, const std::string& path, spec::mustache_context& out) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) flatten(child, path.empty() ? key : path + "." + key, out);
    return;
  }
  if (!path.empty()) out[path] = leaf_text(value);
}

}  // namespace

spec::mustache_context pool_context(const nlohmann::json& options, const pool_settings& settings) {
  spec::mustache_context context;
  flatten(options, "", context);
  context["pool.name"] = leaf_text(nlohmann::json(settings.name));
  context["pool.count"] = std::to_string(settings.count);
  context["pool.stats_port"] = std::to_string(settings.stats_port);
  context["pool.idle_timeout"] = leaf_text(nlohmann::json(settings.idle_timeout));
  return context;
}

core::result<std::string> render_pool_json(std::string_view template_text, const spec::mustache_context& context) {
  spec::render_options options;
  options.escape = spec::escaping::none;
  options.missing = spec::missing_variable_policy::fail;
  auto text = spec::render_mustache(template_text, context, options);
  if (!text) return make_error(edgelb_errc::template_error, "pool template: " + text.err().message);
  return std::move(text).value();
}

core::result<pool> render_pool(std::string_view template_text, const spec::mustache_context& context) {
  auto text = render_pool_json(template_text, context);
  if (!text) return text.err();
  auto parsed = parse_pool(*text);
  if (!parsed) {
    std::string message;
    std::string_view rest = parsed.err().message;
    while (!rest.empty()) {
      const auto nl = rest.find('\n');
      message += (message.empty() ? "" : "\n") + std::string("rendered pool: ") + std::string(rest.substr(0, nl));
      rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    }
    return core::error{parsed.err().code, std::move(message)};
  }
  return std::move(parsed).value();
}

}  // namespace ternmq::scheduler::edgelb
