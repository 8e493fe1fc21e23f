// Sandbox and volume directories on disk.
#include "scheduler/local/sandbox.hpp"

#include <fstream>
#include <system_error>

namespace ternmq::scheduler::local {

namespace fs = std::filesystem;

fs::path agent_layout::sandbox(std::string_view agent_id, std::string_view task_id) const {
  return work_dir_ / "agents" / agent_id / "sandboxes" / task_id;
}

fs::path agent_layout::volume(std::string_view agent_id, std::string_view volume_id) const {
  return work_dir_ / "agents" / agent_id / "volumes" / volume_id;
}

fs::path agent_layout::checkpoints() const { return work_dir_ / "meta" / "tasks"; }

bool is_safe_relative_path(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  for (const auto& part : fs::path(path)) {
    if (part == "." || part == "..") return false;
  }
  return true;
}

bool is_safe_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

core::status create_sandbox(const fs::path& sandbox) {
  std::error_code ec;
  fs::create_directories(sandbox.parent_path(), ec);
  if (ec) return core::status::failure("cannot create " + sandbox.parent_path().string() + ": " + ec.message());
  if (!fs::create_directory(sandbox, ec)) {
    if (ec) return core::status::failure("cannot create sandbox " + sandbox.string() + ": " + ec.message());
    return core::status::failure("sandbox " + sandbox.string() + " already exists");
  }
  return core::status::success();
}

core::status write_sandbox_files(const fs::path& sandbox, const std::vector<backend::sandbox_file>& files) {
  for (const auto& file : files) {
    if (!is_safe_relative_path(file.path)) {
      return core::status::failure("file path '" + file.path + "' must be relative and stay inside the sandbox");
    }
    const fs::path target = sandbox / file.path;
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) return core::status::failure("cannot create " + target.parent_path().string() + ": " + ec.message());
    fs::remove(target, ec);  // a link from the fetch must not be written through
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out << file.content;
    out.close();
    if (!out) return core::status::failure("cannot write " + target.string());
  }
  return core::status::success();
}

core::status link_volumes(const fs::path& sandbox, const agent_layout& layout, std::string_view agent_id,
                          const std::vector<backend::volume_request>& volumes) {
  for (const auto& volume : volumes) {
    if (!is_safe_name(volume.id)) return core::status::failure("invalid volume id '" + volume.id + "'");
    if (!is_safe_relative_path(volume.container_path)) {
      return core::status::failure("volume container path '" + volume.container_path +
                                   "' must be relative and stay inside the sandbox");
    }
    const fs::path dir = layout.volume(agent_id, volume.id);
    const fs::path link = sandbox / volume.container_path;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return core::status::failure("cannot create volume " + dir.string() + ": " + ec.message());
    fs::create_directories(link.parent_path(), ec);
    if (!ec) fs::create_directory_symlink(dir, link, ec);
    if (ec) return core::status::failure("cannot link volume at " + link.string() + ": " + ec.message());
  }
  return core::status::success();
}

core::status remove_volume(const fs::path& volume_dir) {
  std::error_code ec;
  fs::remove_all(volume_dir, ec);
  if (ec) return core::status::failure("cannot remove volume " + volume_dir.string() + ": " + ec.message());
  return core::status::success();
}

}  // namespace ternmq::scheduler::local
