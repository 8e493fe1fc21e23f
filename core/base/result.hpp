// core::result<T>: a value or an error, for every fallible call at a boundary (wire, file, config).
// Errors are values here; exceptions are kept for start-up failures and bugs.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace core {

// A failure with a machine-readable code (meaning fixed by the module that returns it) and a message
// for people.
struct error {
  int code = 0;
  std::string message;
};

template <class T, class E = error>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  result(E e) : v_(std::move(e)) {}          // NOLINT(google-explicit-constructor)

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const E& err() const { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

}  // namespace core
