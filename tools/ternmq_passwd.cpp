// ternmq-passwd: manages the password file the broker reads (`vmq_passwd.password_file`), with the
// options of vmq-passwd and mosquitto_passwd:
//
//   ternmq-passwd [-c | -D] passwordfile username
//   ternmq-passwd -U passwordfile
//
// The password is read twice from the terminal with echo off or, when stdin is not a terminal, as one
// line from stdin (for scripts). The file is replaced atomically (a temporary file in the same
// directory, mode 0600, renamed over it), and is never written in a form the broker would refuse.
// Exit status: 0 done, 1 failed (nothing was changed), 2 wrong usage.
#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "broker/auth/password_file.hpp"
#include "broker/auth/password_hash.hpp"
#include "broker/auth/reloading_file.hpp"

namespace {

using ternmq::auth::make_password_hash;

constexpr int k_exit_failure = 1;
constexpr int k_exit_usage = 2;

enum class mode { add_or_update, create, remove, upgrade };

// An error to print and exit with status 1.
struct failure {
  std::string message;
};

void usage(std::ostream& out) {
  out << "Usage: ternmq-passwd [-c | -D] passwordfile username\n"
         "       ternmq-passwd -U passwordfile\n"
         " -c : create a new password file; an existing file is overwritten.\n"
         " -D : delete the user from the password file.\n"
         " -U : hash every plain-text `user:password` line of the file. Lines that are already\n"
         "      hashed are not recognised and would be hashed again, making them unusable.\n"
         "The password is read from the terminal, or as one line from stdin when it is not one.\n";
}

std::string trim(const std::string& s) {
  const std::size_t first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// The parser splits at the first `:`, trims blanks and takes `#` lines as comments, so a username
// that holds a `:` or a line break, starts with `#` or has blanks at either end would not read back.
std::optional<std::string> username_problem(const std::string& username) {
  if (username.empty()) return "the username is empty";
  if (username.find(':') != std::string::npos) return "a username must not contain ':'";
  for (const char c : username)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "a username must not contain control characters";
  if (username.front() == '#') return "a username must not start with '#'";
  if (trim(username) != username) return "a username must not start or end with a space or tab";
  return std::nullopt;
}

// --- reading the password -------------------------------------------------------------------------

struct termios g_saved_terminal;

// Puts echo back if the user interrupts while it is off, so the shell is not left without echo.
void restore_terminal_and_exit(int signal_number) {
  ::tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_terminal);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

std::optional<std::string> read_line_without_echo(const char* prompt) {
  std::cerr << prompt << std::flush;
  struct termios quiet = g_saved_terminal;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  ::tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_terminal);
  std::cerr << "\n";
  if (!got) return std::nullopt;
  return line;
}

void wipe(std::string& secret) {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

std::string read_password() {
  std::string password;
  if (::isatty(STDIN_FILENO) == 1) {
    if (::tcgetattr(STDIN_FILENO, &g_saved_terminal) != 0) throw failure{"cannot read terminal settings"};
    std::signal(SIGINT, restore_terminal_and_exit);
    std::signal(SIGTERM, restore_terminal_and_exit);
    auto first = read_line_without_echo("Password: ");
    if (!first) throw failure{"no password given"};
    auto second = read_line_without_echo("Reenter password: ");
    const bool same = second && *first == *second;
    if (second) wipe(*second);
    if (!same) {
      wipe(*first);
      throw failure{"the passwords do not match"};
    }
    password = std::move(*first);
  } else if (!std::getline(std::cin, password)) {
    throw failure{"no password on stdin"};
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) throw failure{"the password is empty"};
  return password;
}

std::string hash_line(const std::string& username, std::string& password) {
  auto hash = make_password_hash(password);
  wipe(password);
  if (!hash) throw failure{hash.err().message};
  return username + ":" + *hash;
}

// --- the file -------------------------------------------------------------------------------------

// The file as lines. A line set to nullopt is deleted; it stays in place while the result is checked
// so that the line numbers in an error match the file the user has open.
using lines = std::vector<std::optional<std::string>>;

lines split_lines(const std::string& text) {
  lines out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string join(const lines& all, bool keep_deleted_as_blank) {
  std::string out;
  for (const auto& line : all) {
    if (line) out += *line + "\n";
    else if (keep_deleted_as_blank) out += "\n";
  }
  return out;
}

// The username of a `user:...` line, or nullopt for a blank line, a comment or a line with no `:`.
std::optional<std::string> username_of(const std::string& line) {
  const std::string trimmed = trim(line);
  if (trimmed.empty() || trimmed.front() == '#') return std::nullopt;
  const std::size_t colon = trimmed.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return trim(trimmed.substr(0, colon));
}

lines read_lines(const std::string& path) {
  auto snapshot = ternmq::auth::read_file(path);
  if (!snapshot) throw failure{snapshot.err().message};
  return split_lines(snapshot->text);
}

// Replaces `path` with `text`: temporary file, fsync, rename, fsync of the directory. The new file has
// mode 0600 and, as far as the caller is allowed, the owner and group of the file it replaces (so a
// root-run update leaves the file readable by the broker's user).
void write_atomically(const std::string& path, const std::string& text) {
  std::string temp = path + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) throw failure{path + ": cannot create a temporary file next to it: " + std::strerror(errno)};
  const auto fail = [&](const std::string& what) {
    const int err = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    throw failure{path + ": " + what + ": " + std::strerror(err)};
  };
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) fail("cannot set mode 0600");
  struct stat old {};
  if (::stat(path.c_str(), &old) == 0) static_cast<void>(::fchown(fd, old.st_uid, old.st_gid));
  for (std::size_t written = 0; written < text.size();) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write");
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("cannot sync");
  if (::close(fd) != 0) {
    ::unlink(temp.c_str());
    throw failure{path + ": cannot close: " + std::strerror(errno)};
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw failure{path + ": cannot replace: " + std::strerror(err)};
  }
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    static_cast<void>(::fsync(dir_fd));
    ::close(dir_fd);
  }
}

// Writes the lines only if the broker would accept the result.
void check_and_write(const std::string& path, const lines& all) {
  auto parsed = ternmq::auth::password_file::parse(join(all, true), path);
  if (!parsed) throw failure{parsed.err().message + " (the file was not changed)"};
  write_atomically(path, join(all, false));
}

void set_user(const std::string& path, const std::string& username, bool create) {
  lines all = create ? lines{} : read_lines(path);
  std::string password = read_password();
  std::string entry = hash_line(username, password);
  bool placed = false;
  for (auto& line : all) {
    if (!line || username_of(*line) != username) continue;
    if (placed) line.reset();  // a repeated entry; the broker would refuse the file
    else line = entry;
    placed = true;
  }
  if (!placed) all.emplace_back(std::move(entry));
  check_and_write(path, all);
}

void delete_user(const std::string& path, const std::string& username) {
  lines all = read_lines(path);
  bool found = false;
  for (auto& line : all) {
    if (line && username_of(*line) == username) {
      line.reset();
      found = true;
    }
  }
  if (!found) throw failure{path + ": no such user"};
  check_and_write(path, all);
}

// Checks every line before hashing any, so a mistake on the last line fails at once.
void upgrade_file(const std::string& path) {
  lines all = read_lines(path);
  struct plain_entry {
    std::size_t index;
    std::string username;
    std::string password;
  };
  std::vector<plain_entry> entries;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string& line = *all[i];
    const std::string where = path + ":" + std::to_string(i + 1) + ": ";
    const std::string trimmed = trim(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) throw failure{where + "expected username:password (the file was not changed)"};
    std::string username = trim(line.substr(0, colon));
    if (auto problem = username_problem(username)) throw failure{where + *problem + " (the file was not changed)"};
    std::string password = line.substr(colon + 1);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.empty()) throw failure{where + "empty password (the file was not changed)"};
    entries.push_back(plain_entry{i, std::move(username), std::move(password)});
  }
  for (auto& entry : entries) {
    wipe(*all[entry.index]);
    all[entry.index] = hash_line(entry.username, entry.password);
  }
  check_and_write(path, all);
}

}  // namespace

int main(int argc, char** argv) {
  mode m = mode::add_or_update;
  std::vector<std::string> operands;
  int mode_flags = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      usage(std::cout);
      return 0;
    }
    if (arg == "-c" || arg == "-D" || arg == "-U") {
      m = arg == "-c" ? mode::create : arg == "-D" ? mode::remove : mode::upgrade;
      ++mode_flags;
    } else if (arg.size() > 1 && arg.front() == '-') {
      std::cerr << "ternmq-passwd: unknown option " << arg << "\n";
      usage(std::cerr);
      return k_exit_usage;
    } else {
      operands.push_back(arg);
    }
  }
  const std::size_t wanted = m == mode::upgrade ? 1 : 2;
  if (mode_flags > 1 || operands.size() != wanted) {
    usage(std::cerr);
    return k_exit_usage;
  }
  const std::string& path = operands[0];
  try {
    if (m != mode::upgrade) {
      if (auto problem = username_problem(operands[1])) throw failure{*problem};
    }
    switch (m) {
      case mode::add_or_update: set_user(path, operands[1], false); break;
      case mode::create: set_user(path, operands[1], true); break;
      case mode::remove: delete_user(path, operands[1]); break;
      case mode::upgrade: upgrade_file(path); break;
    }
  } catch (const failure& f) {
    std::cerr << "ternmq-passwd: " << f.message << "\n";
    return k_exit_failure;
  }
  return 0;
}
