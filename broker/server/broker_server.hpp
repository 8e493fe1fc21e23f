// The composition root of a broker node: builds the workers, routing, sessions and listeners
// from the configuration, and runs them until SIGTERM or SIGINT. Nothing depends on it.
#pragma once

#include <memory>
#include <string>

#include "broker/config/broker_config.hpp"

namespace ternmq::server {

class broker_server {
 public:
  broker_server(std::shared_ptr<const config::broker_config> cfg, std::size_t workers);
  ~broker_server();
  broker_server(const broker_server&) = delete;
  broker_server& operator=(const broker_server&) = delete;

  // Binds every listener, prints one `listening` line per listener on stdout, and serves
  // until a stop signal. Returns the process exit code.
  int run();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace ternmq::server
