// core::status: success, or an error message, for calls that return no value (leveldb's Status).
#pragma once

#include <string>
#include <utility>

namespace core {

class [[nodiscard]] status {
 public:
  static status success() { return status(); }
  static status failure(std::string message) { return status(std::move(message)); }

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string& message() const { return message_; }

 private:
  status() = default;
  explicit status(std::string message) : failed_(true), message_(std::move(message)) {}
  bool failed_ = false;
  std::string message_;
};

}  // namespace core
