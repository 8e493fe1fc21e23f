#include "scheduler/cosmos/package_files.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "scheduler/cosmos/cosmos_errc.hpp"

namespace ternmq::scheduler::cosmos {
namespace {

namespace fs = std::filesystem;

std::optional<fs::path> find_file(const fs::path& dir, const char* name) {
  for (const fs::path& candidate : {dir / name, dir / "universe" / name}) {
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate;
  }
  return std::nullopt;
}

core::result<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(cosmos_errc::package_file, path.string() + ": cannot read: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return make_error(cosmos_errc::package_file, path.string() + ": read error");
  return text.str();
}

core::result<nlohmann::json> read_json_object(const fs::path& path) {
  auto text = read_text(path);
  if (!text) return text.err();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    return make_error(cosmos_errc::package_file, path.string() + ": not valid JSON: " + e.what());
  }
  if (!doc.is_object()) return make_error(cosmos_errc::package_file, path.string() + ": expected a JSON object");
  return doc;
}

core::error not_found(const fs::path& dir, const char* name) {
  return make_error(cosmos_errc::package_file, std::string(name) + " not found in " + dir.string() + " (nor in " +
                                                   (dir / "universe").string() + ")");
}

}  // namespace

core::result<package_files> load_package(const std::filesystem::path& package_dir) {
  package_files files;
  const auto config = find_file(package_dir, "config.json");
  if (!config) return not_found(package_dir, "config.json");
  auto schema = read_json_object(*config);
  if (!schema) return schema.err();
  files.config = std::move(schema).value();

  const auto marathon = find_file(package_dir, "marathon.json.mustache");
  if (!marathon) return not_found(package_dir, "marathon.json.mustache");
  auto text = read_text(*marathon);
  if (!text) return text.err();
  files.marathon_template = std::move(text).value();

  files.resource = nlohmann::json::object();
  if (const auto resource = find_file(package_dir, "resource.json")) {
    auto doc = read_json_object(*resource);
    if (!doc) return doc.err();
    files.resource = std::move(doc).value();
  }
  return files;
}

}  // namespace ternmq::scheduler::cosmos
