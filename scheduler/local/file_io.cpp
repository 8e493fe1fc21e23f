// Small file reads and atomic replacement with POSIX calls.
#include "scheduler/local/file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ternmq::scheduler::local {
namespace {

core::status write_fully(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return core::status::failure(std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  return core::status::success();
}

}  // namespace

std::optional<std::string> read_whole_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string content;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return content;
}

core::status replace_file_atomically(const std::string& path, const std::string& content) {
  const std::string temp_path = path + ".tmp";
  const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return core::status::failure("cannot write " + temp_path + ": " + std::strerror(errno));
  auto written = write_fully(fd, content);
  if (written && ::fsync(fd) != 0) written = core::status::failure(std::strerror(errno));
  ::close(fd);
  if (written && ::rename(temp_path.c_str(), path.c_str()) != 0) written = core::status::failure(std::strerror(errno));
  if (!written) {
    ::unlink(temp_path.c_str());
    return core::status::failure("cannot write " + path + ": " + written.message());
  }
  return core::status::success();
}

}  // namespace ternmq::scheduler::local
