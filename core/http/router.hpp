// Maps method and path to a handler. Patterns are literal segments and `{name}` captures:
// "/v1/plans/{plan}/start". Pure: a router is built once, then only read (thread-safe).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/http/http_types.hpp"

namespace core::http {

class router {
 public:
  using handler = std::function<response(const request&)>;

  void add(std::string method, std::string pattern, handler h);
  // 404 when no pattern matches the path, 405 when one matches with another method.
  response dispatch(request req) const;

 private:
  struct route {
    std::string method;
    std::vector<std::string> segments;
    handler h;
  };
  std::vector<route> routes_;
};

}  // namespace core::http
