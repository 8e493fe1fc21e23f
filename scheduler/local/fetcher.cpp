// The local fetcher: URI to path, then a link or an archive to extract.
#include "scheduler/local/fetcher.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/base/status.hpp"

namespace ternmq::scheduler::local {

namespace fs = std::filesystem;

namespace {

core::status link_into(const fs::path& target, const fs::path& sandbox, std::string_view uri) {
  const fs::path link = sandbox / target.filename();
  std::error_code ec;
  fs::create_symlink(target, link, ec);
  if (ec) {
    return core::status::failure("cannot fetch '" + std::string(uri) + "': cannot link " + link.string() + ": " +
                                 ec.message());
  }
  return core::status::success();
}

core::status link_directory_files(const fs::path& dir, const fs::path& sandbox, std::string_view uri) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;  // subdirectories, sockets...: not fetched
    if (auto linked = link_into(it->path(), sandbox, uri); !linked) return linked;
  }
  if (ec) return core::status::failure("cannot fetch '" + std::string(uri) + "': " + ec.message());
  return core::status::success();
}

}  // namespace

core::result<fs::path> local_path_of(std::string_view uri) {
  std::string_view path = uri;
  constexpr std::string_view file_scheme = "file://";
  if (uri.starts_with(file_scheme)) {
    path.remove_prefix(file_scheme.size());
    if (path.starts_with("localhost/")) path.remove_prefix(std::string_view("localhost").size());
    if (!path.starts_with('/')) return core::error{EINVAL, "'" + std::string(uri) + "' is not a local file URI"};
  } else if (uri.find("://") != std::string_view::npos) {
    return core::error{EINVAL, "cannot fetch '" + std::string(uri) + "': the local backend fetches local files only"};
  }
  if (path.empty()) return core::error{EINVAL, "empty URI"};
  std::error_code ec;
  fs::path absolute = fs::absolute(fs::path(path), ec);
  if (ec) return core::error{EINVAL, "cannot resolve '" + std::string(uri) + "': " + ec.message()};
  return absolute.lexically_normal();
}

bool is_archive(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.ends_with(".tar.gz") || name.ends_with(".tgz");
}

core::result<std::vector<fs::path>> fetch_into(const std::vector<std::string>& uris, const fs::path& sandbox) {
  std::vector<fs::path> archives;
  for (const auto& uri : uris) {
    auto path = local_path_of(uri);
    if (!path) return path.err();
    std::error_code ec;
    const bool is_dir = fs::is_directory(*path, ec);
    const int mode = is_dir ? (R_OK | X_OK) : R_OK;
    if (::access(path->c_str(), mode) != 0) {
      return core::error{errno, "cannot fetch '" + uri + "': " + std::strerror(errno)};
    }
    core::status fetched = core::status::success();
    if (is_dir) {
      fetched = link_directory_files(*path, sandbox, uri);
    } else if (is_archive(*path)) {
      archives.push_back(*path);
    } else {
      fetched = link_into(*path, sandbox, uri);
    }
    if (!fetched) return core::error{EIO, fetched.message()};
  }
  return archives;
}

spawn_request extraction_request(const fs::path& archive, const fs::path& sandbox,
                                 const std::map<std::string, std::string>& env) {
  spawn_request request;
  // The paths are arguments of the script, never parts of it: no quoting to get wrong.
  request.argv = {"/bin/sh", "-c", "exec tar -xzf \"$1\" -C \"$2\"", "fetch", archive.string(), sandbox.string()};
  request.working_dir = sandbox.string();
  request.env = env;
  request.stdout_path = (sandbox / "stderr").string();
  request.stderr_path = request.stdout_path;
  return request;
}

}  // namespace ternmq::scheduler::local
