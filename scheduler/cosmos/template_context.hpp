// The context marathon.json.mustache is rendered with, the way Cosmos builds it
// (PackageDefinitionRenderer): the resolved options with resource.json under `resource`, each value
// handed to Mustache as Cosmos hands it (its `jsonToJava`):
//   - strings JSON-escaped, without the quotes, so `"{{{node.placement_constraint}}}"` stays a valid
//     JSON string when the value holds quotes or backslashes;
//   - numbers as a Java Int when they are whole and fit 32 bits ("3", "2048"), else as Java prints a
//     Double ("0.5", "4.294967295E9");
//   - booleans as "true" / "false" (sections over them render for true only).
//
// The repo's renderer (scheduler/spec/mustache.hpp) looks names up in a flat map, so nested objects
// become dotted keys: {"service": {"name": "ternmq"}} gives "service.name" -> "ternmq". Lists are
// left out (package templates do not use them; a section over one never renders here), and so are
// the objects themselves (`{{#service}}` never renders).
//
// Pure; thread-safe.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "scheduler/spec/mustache.hpp"

namespace ternmq::scheduler::cosmos {

// One scalar as Cosmos renders it (see above); null is "".
std::string cosmos_scalar(const nlohmann::json& value);

// Java's Double.toString for the doubles Cosmos passes: "0.5", "1.0E7", "4.294967295E9", "1.0E-4".
std::string java_double(double value);

// The flattened context: `options` merged with {"resource": resource}.
spec::mustache_context template_context(const nlohmann::json& options, const nlohmann::json& resource);

}  // namespace ternmq::scheduler::cosmos
