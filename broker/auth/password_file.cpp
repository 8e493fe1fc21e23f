#include "broker/auth/password_file.hpp"

#include "broker/auth/reloading_file.hpp"

namespace ternmq::auth {
namespace {

std::string_view trim(std::string_view s) {
  const std::size_t first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

core::error malformed(const std::string& file_name, int line, const std::string& reason) {
  return file_error(file_errc::malformed, file_name + ":" + std::to_string(line) + ": " + reason);
}

}  // namespace

core::result<password_file> password_file::parse(std::string_view text, const std::string& file_name) {
  password_file out;
  std::unordered_map<std::string, int> first_line;
  int line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return malformed(file_name, line_number, "expected username:hash");
    const std::string username(trim(line.substr(0, colon)));
    if (username.empty()) return malformed(file_name, line_number, "empty username");
    auto hash = parse_password_hash(trim(line.substr(colon + 1)));
    if (!hash) return malformed(file_name, line_number, hash.err().message);
    const auto [it, inserted] = first_line.emplace(username, line_number);
    if (!inserted)
      return malformed(file_name, line_number, "username repeated (first on line " + std::to_string(it->second) + ")");
    if (out.entries_.empty()) {
      out.decoy_ = *hash;
      out.decoy_.hash.assign(k_hash_bytes, 0);  // a PBKDF2 or SHA-512 output of all zeros is not feasible
    }
    out.entries_.emplace(username, std::move(hash).value());
  }
  return out;
}

core::result<password_file> password_file::load(const std::string& path) {
  auto snapshot = read_file(path);
  if (!snapshot) return snapshot.err();
  return parse(snapshot->text, path);
}

bool password_file::verify(std::string_view username, std::string_view password) const {
  const auto it = entries_.find(std::string(username));
  if (it == entries_.end()) {
    if (!decoy_.salt.empty()) static_cast<void>(verify_password(decoy_, password));
    return false;
  }
  return verify_password(it->second, password);
}

}  // namespace ternmq::auth
