#include "broker/auth/password_file.hpp"

#include "broker/auth/content_lines.hpp"

#include "broker/auth/reloading_file.hpp"

namespace ternmq::auth {
namespace {

core::error malformed(const std::string& file_name, int line, const std::string& reason) {
  return file_error(file_errc::malformed, file_name + ":" + std::to_string(line) + ": " + reason);
}

}  // namespace

core::result<password_file> password_file::parse(std::string_view text, const std::string& file_name) {
  password_file out;
  std::unordered_map<std::string, int> first_line;
  content_lines lines(text);
  while (lines.next()) {
    const std::string_view line = lines.line();
    const int line_number = lines.number();
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
