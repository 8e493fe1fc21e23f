// ternmq: one MQTT broker node. Reads ternmq.conf, serves until SIGTERM; SIGHUP reloads.
#include <iostream>
#include <string>
#include <thread>

#include "broker/config/broker_config.hpp"
#include "broker/server/broker_server.hpp"
#include "core/base/log.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: ternmq [--config FILE] [--check] [--workers N]\n"
         "  --config FILE  broker configuration (default: ./ternmq.conf)\n"
         "  --check        validate the configuration and exit\n"
         "  --workers N    worker threads (default: one per core)\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path = "ternmq.conf";
  bool check_only = false;
  std::size_t workers = std::max(1u, std::thread::hardware_concurrency());
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (arg == "--check") {
      check_only = true;
    } else if (arg == "--workers" && i + 1 < argc) {
      workers = static_cast<std::size_t>(std::stoul(argv[++i]));
    } else if (arg == "--help" || arg == "-h") {
      usage(std::cout);
      return 0;
    } else if (arg == "--version") {
      std::cout << "ternmq 0.1.0\n";
      return 0;
    } else {
      std::cerr << "ternmq: unknown argument '" << arg << "'\n";
      usage(std::cerr);
      return 2;
    }
  }

  auto cfg = ternmq::config::load_broker_config(config_path);
  if (!cfg) {
    std::cerr << "ternmq: " << cfg.err().message << "\n";
    return 1;
  }
  if (check_only) {
    std::cout << "ternmq: " << config_path << " is valid\n";
    return 0;
  }
  core::log::level lvl = core::log::level::info;
  if (core::log::parse_level(cfg->log_console_level, lvl)) core::log::set_level(lvl);
  if (cfg->log_console == "off") core::log::set_level(core::log::level::none);

  ternmq::server::broker_server server(std::make_shared<const ternmq::config::broker_config>(std::move(cfg).value()),
                                       workers);
  return server.run();
}
