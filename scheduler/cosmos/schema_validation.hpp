// Validation of package options against the package's config.json, a JSON Schema draft-04, as Cosmos
// validates them before rendering. Only the part of draft-04 that package schemas use is
// implemented: `type` (one name or a list), `properties`, `additionalProperties` (false or a schema),
// `required`, `enum`, `minimum` / `maximum` (with draft-04's boolean `exclusiveMinimum` /
// `exclusiveMaximum`), `minLength` / `maxLength` (in characters), `pattern` (ECMAScript, unanchored, as
// JSON Schema says), `items` (one schema for every element, or one per position). Other keywords
// (`title`, `description`, `default`, `media`, `$schema` ...) are ignored. As in draft-04, `integer`
// means a number written without a fraction: 1.0 is a number, not an integer.
//
// Every problem is reported, each with the JSON Pointer of the value, e.g.
//   /node/count: 0 is less than the minimum 1
//   /node/cuont: unknown option
// A value of the wrong type gets only the type error.
//
// Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ternmq::scheduler::cosmos {

struct option_error {
  std::string path;     // JSON Pointer of the value ("/node/count"); "/" for the whole document
  std::string message;  // "0 is less than the minimum 1"

  std::string to_string() const { return path + ": " + message; }
  friend bool operator==(const option_error&, const option_error&) = default;
};

// Every way `value` breaks `schema` (object members in key order); empty when it validates.
std::vector<option_error> validate_against_schema(const nlohmann::json& schema, const nlohmann::json& value);

}  // namespace ternmq::scheduler::cosmos
