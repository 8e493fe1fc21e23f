#include "scheduler/cosmos/schema_validation.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <regex>

namespace ternmq::scheduler::cosmos {
namespace {

using nlohmann::json;

std::string type_name(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer()) return "integer";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

bool has_type(const json& v, const std::string& type) {
  if (type == "number") return v.is_number();
  return type_name(v) == type;
}

// The value as JSON, shortened: error messages should not repeat a whole certificate.
std::string shown(const json& v) {
  constexpr std::size_t k_max = 60;
  std::string text = v.dump();
  if (text.size() > k_max) text = text.substr(0, k_max - 3) + "...";
  return text;
}

// JSON Pointer escaping of one member name (RFC 6901).
std::string pointer_token(const std::string& name) {
  std::string out;
  for (const char c : name) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::size_t characters(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::optional<std::size_t> length_keyword(const json& schema, const char* name) {
  const auto it = schema.find(name);
  if (it == schema.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0) return std::nullopt;
  return it->get<std::size_t>();
}

class validator {
 public:
  std::vector<option_error> errors;

  void check(const json& schema, const json& value, const std::string& path) {
    if (!schema.is_object()) return;
    if (!check_type(schema, value, path)) return;
    check_enum(schema, value, path);
    if (value.is_number()) check_number(schema, value, path);
    if (value.is_string()) check_string(schema, value.get_ref<const std::string&>(), path);
    if (value.is_array()) check_items(schema, value, path);
    if (value.is_object()) check_members(schema, value, path);
  }

 private:
  void add(const std::string& path, std::string message) {
    errors.push_back({path.empty() ? "/" : path, std::move(message)});
  }

  bool check_type(const json& schema, const json& value, const std::string& path) {
    const auto it = schema.find("type");
    if (it == schema.end()) return true;
    std::vector<std::string> types;
    if (it->is_string()) types.push_back(it->get<std::string>());
    for (const auto& t : it->is_array() ? *it : json::array()) {
      if (t.is_string()) types.push_back(t.get<std::string>());
    }
    if (types.empty() || std::any_of(types.begin(), types.end(), [&](const auto& t) { return has_type(value, t); })) {
      return true;
    }
    std::string expected;
    for (std::size_t i = 0; i < types.size(); ++i) expected += (i ? " or " : "") + types[i];
    add(path, "expected " + expected + ", got " + (value.is_null() ? "null" : type_name(value) + " " + shown(value)));
    return false;
  }

  void check_enum(const json& schema, const json& value, const std::string& path) {
    const auto it = schema.find("enum");
    if (it == schema.end() || !it->is_array()) return;
    if (std::find(it->begin(), it->end(), value) != it->end()) return;
    std::string allowed;
    for (const auto& e : *it) allowed += (allowed.empty() ? "" : ", ") + e.dump();
    add(path, shown(value) + " is not one of " + allowed);
  }

  void check_number(const json& schema, const json& value, const std::string& path) {
    const double v = value.get<double>();
    if (const auto it = schema.find("minimum"); it != schema.end() && it->is_number()) {
      const bool exclusive = schema.value("exclusiveMinimum", false);
      const double min = it->get<double>();
      if (exclusive ? v <= min : v < min) {
        add(path, value.dump() + (exclusive ? " is not greater than the exclusive minimum " : " is less than the minimum ") +
                      it->dump());
      }
    }
    if (const auto it = schema.find("maximum"); it != schema.end() && it->is_number()) {
      const bool exclusive = schema.value("exclusiveMaximum", false);
      const double max = it->get<double>();
      if (exclusive ? v >= max : v > max) {
        add(path, value.dump() + (exclusive ? " is not less than the exclusive maximum " : " is greater than the maximum ") +
                      it->dump());
      }
    }
  }

  void check_string(const json& schema, const std::string& value, const std::string& path) {
    const std::size_t length = characters(value);
    if (const auto min = length_keyword(schema, "minLength"); min && length < *min) {
      add(path, shown(value) + " is shorter than the minimum length " + std::to_string(*min));
    }
    if (const auto max = length_keyword(schema, "maxLength"); max && length > *max) {
      add(path, shown(value) + " is longer than the maximum length " + std::to_string(*max));
    }
    if (const auto it = schema.find("pattern"); it != schema.end() && it->is_string()) {
      const auto& pattern = it->get_ref<const std::string&>();
      try {
        if (!std::regex_search(value, std::regex(pattern, std::regex::ECMAScript))) {
          add(path, shown(value) + " does not match the pattern " + pattern);
        }
      } catch (const std::regex_error& e) {
        add(path, "the schema's pattern " + pattern + " is not a valid regular expression: " + e.what());
      }
    }
  }

  void check_items(const json& schema, const json& value, const std::string& path) {
    const auto it = schema.find("items");
    if (it == schema.end()) return;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (it->is_array()) {
        if (i < it->size()) check((*it)[i], value[i], path + "/" + std::to_string(i));
      } else {
        check(*it, value[i], path + "/" + std::to_string(i));
      }
    }
  }

  void check_members(const json& schema, const json& value, const std::string& path) {
    if (const auto it = schema.find("required"); it != schema.end() && it->is_array()) {
      for (const auto& name : *it) {
        if (name.is_string() && !value.contains(name.get<std::string>())) {
          add(path + "/" + pointer_token(name.get<std::string>()), "required option is missing");
        }
      }
    }
    static const json k_no_properties = json::object();
    const auto props = schema.find("properties");
    const json& properties = props != schema.end() && props->is_object() ? *props : k_no_properties;
    const auto additional = schema.find("additionalProperties");
    for (const auto& [name, member] : value.items()) {
      const std::string member_path = path + "/" + pointer_token(name);
      if (const auto p = properties.find(name); p != properties.end()) {
        check(*p, member, member_path);
      } else if (additional != schema.end() && additional->is_boolean() && !additional->get<bool>()) {
        add(member_path, "unknown option");
      } else if (additional != schema.end() && additional->is_object()) {
        check(*additional, member, member_path);
      }
    }
  }
};

}  // namespace

std::vector<option_error> validate_against_schema(const nlohmann::json& schema, const nlohmann::json& value) {
  validator v;
  v.check(schema, value, "");
  return std::move(v.errors);
}

}  // namespace ternmq::scheduler::cosmos
