#pragma once
// A small JSON Schema validator for the subset docs/*.schema.json use: type, enum, properties,
// required, additionalProperties (true/false), items, minimum, oneOf, not, and $ref to
// "#/$defs/NAME". Written here because Debian's C++ validators are not packaged for Debian 12;
// the subset is small and each keyword is checked by the schema tests with an invalid line.

#include <nlohmann/json.hpp>
#include <string>

namespace sepconv::testing {

/// The first reason `value` does not match `schema` (within `root`, for $ref), or "" when it does.
inline std::string schema_problem(const nlohmann::json& value, const nlohmann::json& schema,
                                  const nlohmann::json& root, const std::string& where = "$") {
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];
    const std::string prefix = "#/$defs/";
    if (ref.rfind(prefix, 0) != 0) return where + ": unsupported $ref " + ref;
    return schema_problem(value, root["$defs"][ref.substr(prefix.size())], root, where);
  }
  if (schema.contains("type")) {
    const std::string type = schema["type"];
    const bool ok =
        (type == "object" && value.is_object()) || (type == "array" && value.is_array()) ||
        (type == "string" && value.is_string()) ||
        (type == "integer" && value.is_number_integer()) ||
        (type == "number" && value.is_number()) || (type == "boolean" && value.is_boolean()) ||
        (type == "null" && value.is_null());
    if (!ok) return where + ": not of type " + type;
  }
  if (schema.contains("enum")) {
    bool found = false;
    for (const auto& option : schema["enum"]) found = found || option == value;
    if (!found) return where + ": " + value.dump() + " is not one of " + schema["enum"].dump();
  }
  if (schema.contains("minimum") && value.is_number() &&
      value.get<double>() < schema["minimum"].get<double>()) {
    return where + ": below the minimum";
  }
  if (value.is_object()) {
    for (const auto& key : schema.value("required", nlohmann::json::array())) {
      if (!value.contains(key.get<std::string>())) return where + ": no key " + key.dump();
    }
    const auto properties = schema.value("properties", nlohmann::json::object());
    for (const auto& [key, item] : value.items()) {
      if (properties.contains(key)) {
        if (auto p = schema_problem(item, properties[key], root, where + "." + key); !p.empty()) {
          return p;
        }
      } else if (schema.value("additionalProperties", true) == false) {
        return where + ": unexpected key " + key;
      }
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (size_t i = 0; i < value.size(); ++i) {
      const std::string at = where + "[" + std::to_string(i) + "]";
      if (auto p = schema_problem(value[i], schema["items"], root, at); !p.empty()) return p;
    }
  }
  if (schema.contains("not") && schema_problem(value, schema["not"], root, where).empty()) {
    return where + ": matches what 'not' excludes";
  }
  if (schema.contains("oneOf")) {
    int matches = 0;
    std::string reasons;
    for (const auto& option : schema["oneOf"]) {
      const std::string p = schema_problem(value, option, root, where);
      matches += p.empty();
      reasons += " [" + p + "]";
    }
    if (matches != 1) return where + ": matches " + std::to_string(matches) + " of oneOf" + reasons;
  }
  return "";
}

}  // namespace sepconv::testing
