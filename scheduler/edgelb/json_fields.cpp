#include "scheduler/edgelb/json_fields.hpp"

namespace ternmq::scheduler::edgelb::detail {
namespace {

// The value as JSON, shortened for a message.
std::string shown(const nlohmann::json& value) {
  std::string text = value.dump();
  constexpr std::size_t k_max = 60;
  if (text.size() > k_max) text = text.substr(0, k_max) + "...";
  return text;
}

}  // namespace

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out(parent);
  out += '.';
  out += key;
  return out;
}

std::string index_path(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

void json_errors::add(std::string_view path, std::string_view reason) {
  std::string line = path.empty() ? std::string("<root>") : std::string(path);
  line += ": ";
  line += reason;
  list_.push_back(std::move(line));
}

std::string describe_type(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "an integer";
    case nlohmann::json::value_t::number_float: return "a number";
    default: return "a value";
  }
}

object_reader::object_reader(const nlohmann::json& value, std::string path, json_errors& errors)
    : path_(std::move(path)), errors_(errors) {
  if (value.is_object()) {
    object_ = &value;
  } else {
    errors_.add(path_, "expected an object, got " + describe_type(value));
  }
}

const nlohmann::json* object_reader::field(std::string_view key, bool required) {
  handled_.emplace(key);
  if (object_ == nullptr) return nullptr;
  const auto it = object_->find(key);
  if (it == object_->end() || it->is_null()) {
    if (required) errors_.add(child_path(path_, key), "is required");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> object_reader::string(std::string_view key, bool required) {
  const nlohmann::json* v = field(key, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    errors_.add(child_path(path_, key), "expected a string, got " + shown(*v));
    return std::nullopt;
  }
  auto text = v->get<std::string>();
  if (required && text.empty()) {
    errors_.add(child_path(path_, key), "must not be empty");
    return std::nullopt;
  }
  return text;
}

std::optional<std::int64_t> object_reader::integer(std::string_view key, std::int64_t min, std::int64_t max,
                                                   bool required) {
  const nlohmann::json* v = field(key, required);
  if (v == nullptr) return std::nullopt;
  const auto bad = [&] {
    errors_.add(child_path(path_, key),
                "expected an integer " + std::to_string(min) + ".." + std::to_string(max) + ", got " + shown(*v));
    return std::nullopt;
  };
  if (!v->is_number_integer()) return bad();
  if (v->is_number_unsigned() && max >= 0 && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) return bad();
  const auto n = v->get<std::int64_t>();
  if (n < min || n > max) return bad();
  return n;
}

const nlohmann::json* object_reader::object(std::string_view key, bool required) {
  const nlohmann::json* v = field(key, required);
  if (v != nullptr && !v->is_object()) {
    errors_.add(child_path(path_, key), "expected an object, got " + describe_type(*v));
    return nullptr;
  }
  return v;
}

const nlohmann::json* object_reader::array(std::string_view key, bool required) {
  const nlohmann::json* v = field(key, required);
  if (v != nullptr && !v->is_array()) {
    errors_.add(child_path(path_, key), "expected an array, got " + describe_type(*v));
    return nullptr;
  }
  return v;
}

std::vector<std::string> object_reader::strings(std::string_view key) {
  std::vector<std::string> out;
  const nlohmann::json* list = array(key, false);
  if (list == nullptr) return out;
  const std::string path = child_path(path_, key);
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    if (item.is_string()) {
      out.push_back(item.get<std::string>());
    } else {
      errors_.add(index_path(path, i), "expected a string, got " + shown(item));
    }
  }
  return out;
}

void object_reader::ignore(std::initializer_list<std::string_view> keys) {
  for (auto key : keys) handled_.emplace(key);
}

void object_reader::refuse(std::initializer_list<std::string_view> keys, std::string_view reason) {
  for (auto key : keys) {
    const nlohmann::json* v = field(key, false);
    const bool unset = v == nullptr || (v->is_boolean() && !v->get<bool>()) ||
                       ((v->is_array() || v->is_object()) && v->empty());
    if (!unset) errors_.add(child_path(path_, key), "not supported: " + std::string(reason));
  }
}

void object_reader::finish() {
  if (object_ == nullptr) return;
  for (const auto& [key, value] : object_->items()) {
    if (!handled_.contains(key)) errors_.add(child_path(path_, key), "unknown key");
  }
}

}  // namespace ternmq::scheduler::edgelb::detail
