#include "scheduler/edgelb/pool_template.hpp"

#include "scheduler/cosmos/template_context.hpp"

#include "scheduler/edgelb/edgelb_errc.hpp"
#include "scheduler/edgelb/pool_parser.hpp"

namespace ternmq::scheduler::edgelb {
spec::mustache_context pool_context(const nlohmann::json& options, const pool_settings& settings) {
  // The options reach the template exactly as Cosmos hands them to marathon.json.mustache.
  spec::mustache_context context = cosmos::template_context(options, nlohmann::json::object());
  context["pool.name"] = cosmos::cosmos_scalar(settings.name);
  context["pool.count"] = std::to_string(settings.count);
  context["pool.stats_port"] = std::to_string(settings.stats_port);
  context["pool.idle_timeout"] = cosmos::cosmos_scalar(settings.idle_timeout);
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
