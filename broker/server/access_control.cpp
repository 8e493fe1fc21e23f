#include "broker/server/access_control.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/base/log.hpp"

namespace ternmq::server {
namespace {

constexpr std::size_t k_max_cached = 100'000;  // bound: cleared when full

}  // namespace

core::result<std::unique_ptr<access_control>> access_control::open(const config::broker_config& cfg) {
  auto ac = std::unique_ptr<access_control>(new access_control());
  if (RAND_bytes(ac->secret_.data(), static_cast<int>(ac->secret_.size())) != 1)
    return core::error{1, "cannot seed the credential cache"};
  if (cfg.plugin_vmq_passwd && !cfg.password_file.empty()) {
    auto f = auth::reloading_file<auth::password_file>::open(cfg.password_file, &auth::password_file::parse);
    if (!f) return core::error{1, "vmq_passwd.password_file: " + f.err().message};
    ac->passwords_ = std::move(f).value();
  }
  if (cfg.plugin_vmq_acl && !cfg.acl_file.empty()) {
    auto f = auth::reloading_file<auth::acl_file>::open(cfg.acl_file, &auth::acl_file::parse);
    if (!f) return core::error{1, "vmq_acl.acl_file: " + f.err().message};
    ac->acl_ = std::move(f).value();
  }
  if (!cfg.allow_anonymous && !ac->passwords_)
    TERNMQ_LOG(warning) << "allow_anonymous is off and no password file is loaded: only clients with a verified "
                           "certificate identity can connect";
  if (!ac->acl_) TERNMQ_LOG(info) << "no ACL file: every client may publish and subscribe to every topic";
  return ac;
}

bool access_control::needs_password_check(const config::broker_config& cfg, bool identity_verified) const {
  return !cfg.allow_anonymous && !identity_verified && passwords_ != nullptr;
}

access_control::digest access_control::fingerprint(std::string_view username, std::string_view password) const {
  digest d{};
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestInit_ex(md, EVP_sha256(), nullptr);
  EVP_DigestUpdate(md, secret_.data(), secret_.size());
  const std::uint32_t ulen = static_cast<std::uint32_t>(username.size());
  EVP_DigestUpdate(md, &ulen, sizeof ulen);  // length first: "ab"+"c" differs from "a"+"bc"
  EVP_DigestUpdate(md, username.data(), username.size());
  EVP_DigestUpdate(md, password.data(), password.size());
  unsigned int n = 0;
  EVP_DigestFinal_ex(md, d.data(), &n);
  EVP_MD_CTX_free(md);
  return d;
}

auth_verdict access_control::authenticate(const config::broker_config& cfg, const std::optional<std::string>& username,
                                          const std::optional<std::string>& password, bool identity_verified) const {
  // allow_anonymous disables authentication entirely, as in VerneMQ.
  if (cfg.allow_anonymous || identity_verified) return auth_verdict::accepted;
  if (!passwords_) return auth_verdict::not_authorized;
  if (!username) return auth_verdict::not_authorized;
  const std::string secret = password.value_or("");
  const auto table = passwords_->current();
  const digest fp = fingerprint(*username, secret);
  {
    std::lock_guard lock(cache_mutex_);
    if (cache_table_ != table) {
      cache_.clear();  // a reloaded file may have changed or removed this user
      cache_table_ = table;
    }
    auto it = cache_.find(*username);
    if (it != cache_.end() && CRYPTO_memcmp(it->second.data(), fp.data(), fp.size()) == 0) return auth_verdict::accepted;
  }
  if (!table->verify(*username, secret)) return auth_verdict::bad_credentials;
  std::lock_guard lock(cache_mutex_);
  if (cache_table_ == table) {
    if (cache_.size() >= k_max_cached) cache_.clear();
    cache_[*username] = fp;
  }
  return auth_verdict::accepted;
}

bool access_control::can_publish(const auth::client_view& client, std::string_view topic) const {
  return !acl_ || acl_->current()->can_publish(client, topic);
}

bool access_control::can_subscribe(const auth::client_view& client, std::string_view filter) const {
  return !acl_ || acl_->current()->can_subscribe(client, filter);
}

void access_control::check_passwords() {
  if (!passwords_) return;
  auto r = passwords_->check();
  if (!r) {
    TERNMQ_LOG(error) << "vmq_passwd: keeping the previous password file: " << r.err().message;
  } else if (*r == auth::reload_outcome::reloaded) {
    TERNMQ_LOG(info) << "vmq_passwd: reloaded " << passwords_->path();
  }
}

void access_control::check_acl() {
  if (!acl_) return;
  auto r = acl_->check();
  if (!r) {
    TERNMQ_LOG(error) << "vmq_acl: keeping the previous ACL file: " << r.err().message;
  } else if (*r == auth::reload_outcome::reloaded) {
    TERNMQ_LOG(info) << "vmq_acl: reloaded " << acl_->path();
  }
}

}  // namespace ternmq::server
