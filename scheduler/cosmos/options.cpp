#include "scheduler/cosmos/options.hpp"

#include "scheduler/cosmos/cosmos_errc.hpp"

namespace ternmq::scheduler::cosmos {

nlohmann::json schema_defaults(const nlohmann::json& schema) {
  nlohmann::json out = nlohmann::json::object();
  const auto props = schema.find("properties");
  if (props == schema.end() || !props->is_object()) return out;
  for (const auto& [name, sub] : props->items()) {
    if (!sub.is_object()) continue;
    if (sub.value("type", "") == "object" && sub.contains("properties")) {
      out[name] = schema_defaults(sub);
    } else if (const auto d = sub.find("default"); d != sub.end()) {
      out[name] = *d;
    }
  }
  return out;
}

nlohmann::json merge_options(const nlohmann::json& base, const nlohmann::json& overrides) {
  if (!base.is_object() || !overrides.is_object()) return overrides;
  nlohmann::json out = base;
  for (const auto& [name, value] : overrides.items()) {
    const auto it = out.find(name);
    out[name] = it == out.end() ? value : merge_options(*it, value);
  }
  return out;
}

namespace {

// The merged options; `errors` receives every problem.
nlohmann::json merged(const nlohmann::json& schema, const nlohmann::json& user, std::vector<option_error>& errors) {
  const nlohmann::json options = user.is_null() ? nlohmann::json::object() : user;
  if (!options.is_object()) {
    errors.push_back({"/", "the options must be an object, got " + user.dump()});
    return nlohmann::json();
  }
  nlohmann::json out = merge_options(schema_defaults(schema), options);
  errors = validate_against_schema(schema, out);
  return out;
}

}  // namespace

std::vector<option_error> validate_options(const nlohmann::json& schema, const nlohmann::json& user) {
  std::vector<option_error> errors;
  (void)merged(schema, user, errors);
  return errors;
}

core::result<nlohmann::json> resolve_options(const nlohmann::json& schema, const nlohmann::json& user) {
  std::vector<option_error> errors;
  nlohmann::json out = merged(schema, user, errors);
  if (errors.empty()) return out;
  std::string message = "invalid options:";
  for (const auto& e : errors) message += "\n" + e.to_string();
  return make_error(cosmos_errc::invalid_options, message);
}

}  // namespace ternmq::scheduler::cosmos
