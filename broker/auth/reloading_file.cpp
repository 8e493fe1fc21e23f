#include "broker/auth/reloading_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ternmq::auth {
namespace {

file_stamp stamp_of(const struct stat& st) {
  return file_stamp{st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};
}

core::error unreadable(const std::string& path, const char* what, int err) {
  return file_error(file_errc::unreadable, path + ": " + what + ": " + std::strerror(err));
}

// Closes the descriptor on every return path.
class fd_guard {
 public:
  explicit fd_guard(int fd) : fd_(fd) {}
  ~fd_guard() {
    if (fd_ >= 0) ::close(fd_);
  }
  fd_guard(const fd_guard&) = delete;
  fd_guard& operator=(const fd_guard&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

core::error file_error(file_errc code, std::string message) {
  return core::error{static_cast<int>(code), std::move(message)};
}

core::result<file_stamp> stat_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return unreadable(path, "cannot stat", errno);
  return stamp_of(st);
}

core::result<file_snapshot> read_file(const std::string& path) {
  const fd_guard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return unreadable(path, "cannot open", errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return unreadable(path, "cannot stat", errno);
  if (!S_ISREG(st.st_mode)) return file_error(file_errc::unreadable, path + ": not a regular file");
  file_snapshot out{stamp_of(st), {}};
  char buffer[16384];
  while (true) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return unreadable(path, "cannot read", errno);
    }
    out.text.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace ternmq::auth
