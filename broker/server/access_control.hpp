// Who may connect, publish and subscribe: VerneMQ's `allow_anonymous`, `vmq_passwd` and
// `vmq_acl` semantics over the password and ACL files, with periodic reload.
//
// Thread safety: every const member may be called from any thread; `check_reload` from one
// thread at a time (the server's timer). Password checks are slow on purpose (PBKDF2): callers
// run `authenticate` off the connection's worker (see `connection::on_connect`), and a cache of
// recent successful checks makes a reconnect with the same credentials cheap.
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "broker/auth/acl_file.hpp"
#include "broker/auth/password_file.hpp"
#include "broker/auth/reloading_file.hpp"
#include "broker/config/broker_config.hpp"
#include "core/base/result.hpp"

namespace ternmq::server {

enum class auth_verdict { accepted, bad_credentials, not_authorized };

class access_control {
 public:
  // Loads the password and ACL files the configuration names (when their plugins are on).
  // An unreadable or malformed file is an error naming file and line.
  static core::result<std::unique_ptr<access_control>> open(const config::broker_config& cfg);

  // `identity_verified`: the client proved who it is with a certificate (its CN is the username).
  auth_verdict authenticate(const config::broker_config& cfg, const std::optional<std::string>& username,
                            const std::optional<std::string>& password, bool identity_verified) const;
  // True when no password check is needed for this CONNECT (so it can run inline).
  bool needs_password_check(const config::broker_config& cfg, bool identity_verified) const;

  bool can_publish(const auth::client_view& client, std::string_view topic) const;
  bool can_subscribe(const auth::client_view& client, std::string_view filter) const;

  // Re-reads changed files; a bad file keeps the previous table. Logs what happened.
  void check_passwords();
  void check_acl();

 private:
  using digest = std::array<unsigned char, 32>;
  digest fingerprint(std::string_view username, std::string_view password) const;

  std::unique_ptr<auth::reloading_file<auth::password_file>> passwords_;  // null: vmq_passwd off or no file
  std::unique_ptr<auth::reloading_file<auth::acl_file>> acl_;              // null: vmq_acl off or no file

  // Successful checks: username -> SHA-256(secret || username || password), valid for one table.
  mutable std::mutex cache_mutex_;
  mutable std::shared_ptr<const auth::password_file> cache_table_;
  mutable std::unordered_map<std::string, digest> cache_;
  std::array<unsigned char, 32> secret_{};
};

}  // namespace ternmq::server
