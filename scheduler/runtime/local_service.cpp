#include "scheduler/runtime/local_service.hpp"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "core/base/log.hpp"
#include "core/http/http_server.hpp"
#include "core/kv/leveldb_kv_store.hpp"
#include "scheduler/api/routes.hpp"
#include "scheduler/cosmos/options.hpp"
#include "scheduler/local/local_backend.hpp"
#include "scheduler/runtime/endpoint_report.hpp"
#include "scheduler/runtime/entry_point.hpp"
#include "scheduler/runtime/ids.hpp"
#include "scheduler/runtime/local_environment.hpp"
#include "scheduler/runtime/local_uninstall.hpp"
#include "scheduler/runtime/rendered_configuration.hpp"
#include "scheduler/runtime/service_scheduler.hpp"

namespace ternmq::scheduler::runtime {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view k_options_property = "local-options";  // the user options in effect

core::result<nlohmann::json> read_json_file(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return core::error{1, "cannot read \"" + path.string() + "\""};
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) return core::error{1, path.string() + ": not valid JSON"};
  if (!j.is_object()) return core::error{1, path.string() + ": the options must be a JSON object"};
  return j;
}

unsigned total_pod_count(const model::service_spec& spec) {
  unsigned n = 0;
  for (const auto& pod : spec.pods) n += pod.count;
  return n;
}

class local_service {
 public:
  explicit local_service(const command_line& cl) : cl_(cl), state_dir_(fs::absolute(cl.state_dir)) {}

  int run() {
    if (auto st = open(); !st) {
      std::cerr << "ternmq-scheduler: " << st.message() << "\n";
      return 2;
    }
    if (cl_.uninstall) {
      // The lock on the state store proves no scheduler runs on it; let it go before deleting.
      store_.reset();
      kv_.reset();
      return uninstall_local_service(state_dir_);
    }
    if (auto st = start(); !st) {
      std::cerr << "ternmq-scheduler: " << st.message() << "\n";
      return 2;
    }
    io_.run();
    return 0;
  }

 private:
  core::status open() {
    std::error_code ec;
    fs::create_directories(state_dir_, ec);
    if (ec) return core::status::failure("--state-dir " + state_dir_.string() + ": " + ec.message());
    auto package = cosmos::load_package(cl_.package_dir);
    if (!package) return core::status::failure(package.err().message);
    package_ = std::move(package).value();
    auto kv = core::kv::leveldb_kv_store::open((state_dir_ / "state").string(), 8 << 20);
    if (!kv) return core::status::failure("state store: " + kv.err().message + " (is another scheduler using " +
                                          state_dir_.string() + "?)");
    kv_ = std::move(kv).value();
    store_ = std::make_unique<state::state_store>(*kv_);
    return core::status::success();
  }

  core::result<local_environment> environment(const nlohmann::json& user_options) const {
    return make_local_environment(package_, user_options, cl_.ternmq_bin.empty() ? local_binary("ternmq") : cl_.ternmq_bin,
                                  api_port_);
  }

  core::status start() {
    nlohmann::json user_options = nlohmann::json::object();
    if (cl_.options) {
      auto read = read_json_file(*cl_.options);
      if (!read) return core::status::failure("--options: " + read.err().message);
      user_options = std::move(read).value();
    }
    if (!store_->framework_id()) (void)store_->set_framework_id(new_uuid() + "-0000");

    // The API first: its port goes into the environment (PORT_API), as Marathon assigns it.
    std::uint16_t wanted = cl_.api_port.value_or(8080);
    if (!cl_.api_port) {
      if (const char* env_port = std::getenv("PORT_API")) wanted = static_cast<std::uint16_t>(std::atoi(env_port));
    }
    // The agents are sized from the spec; the API port (PORT_API) is only known once bound, and
    // only the environment, not the spec, depends on it.
    auto env = environment(user_options);
    if (!env) return core::status::failure("--options: " + env.err().message);
    auto rendered = render_configuration(cl_.spec, env->env);
    if (!rendered) return core::status::failure(rendered.err().message);

    local::local_backend_options backend_options;
    backend_options.work_dir = state_dir_ / "backend";
    backend_options.agent_count = cl_.agents != 0 ? cl_.agents : std::max(3U, total_pod_count(rendered->spec));
    backend_options.cpus = std::max(4U, std::thread::hardware_concurrency());
    backend_options.memory_mb = 1024.0 * 1024.0;
    backend_options.disk_mb = 1024.0 * 1024.0;
    backend_options.port_range = cl_.port_range;
    auto backend = local::local_backend::open(backend_options);
    if (!backend) return core::status::failure("local backend: " + backend.err().message);
    backend_ = std::move(backend).value();

    scheduler_settings settings;
    settings.api_host = cl_.api_address;
    scheduler_ = std::make_unique<service_scheduler>(*store_, *backend_, settings);
    scheduler_->on_progress([](const std::string& line) { std::cout << line << std::endl; });

    auto routes = std::make_shared<core::http::router>();
    api::add_api_routes(*routes, *scheduler_);
    routes->add("POST", "/v1/update/start", [this](const core::http::request& r) { return update(r); });
    http_ = std::make_unique<core::http::http_server>(io_, routes);
    auto bound = http_->listen(cl_.api_address, wanted);
    if (!bound) return core::status::failure("API " + cl_.api_address + ":" + std::to_string(wanted) + ": " + bound.err().message);
    api_port_ = bound->port();
    scheduler_->set_api_port(api_port_);
    env = environment(user_options);
    rendered = render_configuration(cl_.spec, env->env);
    if (!rendered) return core::status::failure(rendered.err().message);

    std::cout << "ternmq-scheduler: local mode, service \"" << rendered->spec.name << "\", "
              << backend_options.agent_count << " agents, state in " << state_dir_.string() << ", API "
              << api_url() << std::endl;
    auto outcome = scheduler_->apply_configuration(rendered->stored, rendered->spec);
    if (!outcome) return core::status::failure(outcome.err().message);
    report_outcome(*outcome);
    if (outcome->what != configuration_outcome::kind::refused) (void)store_->set_property(k_options_property, user_options.dump());
    resolved_options_ = env->resolved_options;
    scheduler_->reconcile();

    if (cl_.entry_point) {
      entry_ = std::make_unique<entry_point>(entry_point_settings{cl_.package_dir / "edge-lb" / "pool.json.mustache",
                                                                  state_dir_ / "haproxy", cl_.entry_address,
                                                                  cl_.entry_ports});
      if (auto st = entry_->configure(resolved_options_, scheduler_->target_spec().name); !st) {
        return core::status::failure("entry point: " + st.message());
      }
    }
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (!ec) shutdown(signal);
    });
    schedule_tick();
    return core::status::success();
  }

  void report_outcome(const configuration_outcome& outcome) {
    switch (outcome.what) {
      case configuration_outcome::kind::first: std::cout << "configuration " << outcome.target_id << ": first deployment" << std::endl; break;
      case configuration_outcome::kind::unchanged: std::cout << "configuration " << outcome.target_id << ": unchanged" << std::endl; break;
      case configuration_outcome::kind::accepted: {
        std::cout << "configuration " << outcome.target_id << ": update, rolling";
        for (const auto& pod : outcome.pods_to_roll) std::cout << " " << pod;
        std::cout << std::endl;
        break;
      }
      case configuration_outcome::kind::refused:
        std::cout << "configuration update refused, keeping " << outcome.target_id << ":" << std::endl;
        for (const auto& e : outcome.errors) std::cout << "  " << e.message() << std::endl;
        break;
    }
  }

  core::http::response update(const core::http::request& request) {
    auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return core::http::json_response(400, nlohmann::json{{"message", "the body must be a JSON object of options"}}.dump(2));
    }
    nlohmann::json user = body;
    auto replace = request.query.find("replace");
    if (replace == request.query.end() || replace->second != "true") {
      auto stored = nlohmann::json::parse(store_->property(k_options_property).value_or("{}"), nullptr, false);
      if (stored.is_object()) user = cosmos::merge_options(stored, body);
    }
    auto env = environment(user);
    if (!env) return core::http::json_response(400, nlohmann::json{{"message", env.err().message}}.dump(2));
    auto rendered = render_configuration(cl_.spec, env->env);
    if (!rendered) return core::http::json_response(400, nlohmann::json{{"message", rendered.err().message}}.dump(2));
    auto outcome = scheduler_->apply_configuration(rendered->stored, rendered->spec);
    if (!outcome) return core::http::json_response(500, nlohmann::json{{"message", outcome.err().message}}.dump(2));
    report_outcome(*outcome);
    if (outcome->what == configuration_outcome::kind::refused) {
      nlohmann::json errors = nlohmann::json::array();
      for (const auto& e : outcome->errors) errors.push_back(e.message());
      std::string message = "configuration update refused:";
      for (const auto& e : outcome->errors) message += "\n" + e.message();
      return core::http::json_response(400, nlohmann::json{{"message", message}, {"errors", errors}}.dump(2));
    }
    (void)store_->set_property(k_options_property, user.dump());
    resolved_options_ = env->resolved_options;
    if (entry_) {
      if (auto st = entry_->configure(resolved_options_, scheduler_->target_spec().name); !st) {
        TERNMQ_LOG(error) << "entry point: " << st.message();
      }
    }
    deployed_reported_ = false;
    nlohmann::json answer{{"message", outcome->what == configuration_outcome::kind::unchanged ? "No change"
                                                                                              : "Update started"},
                          {"configuration", outcome->target_id},
                          {"pods", outcome->pods_to_roll}};
    return core::http::json_response(200, answer.dump(2));
  }

  void schedule_tick() {
    timer_.expires_after(std::chrono::milliseconds(100));
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopping_) return;
      tick();
      schedule_tick();
    });
  }

  void tick() {
    scheduler_->tick();
    if (entry_) {
      (void)entry_->sync(scheduler_->target_spec().name, store_->tasks());
      entry_->poll();
    }
    const plans::plan* deploy = scheduler_->plans().find("deploy");
    if (deploy != nullptr && deploy->is_complete() && !deployed_reported_) {
      deployed_reported_ = true;
      endpoint_report_input input{&scheduler_->target_spec(), store_->tasks(), "", {}, api_url()};
      if (entry_) {
        input.pool_name = entry_->pool_name();
        input.entry_point = entry_->listeners();
      }
      std::cout << "\n" << endpoint_report(input) << try_it_hint(input, local_binary("ternmq-cli")) << std::endl;
    }
  }

  void shutdown(int signal) {
    stopping_ = true;
    TERNMQ_LOG(info) << "signal " << signal << ": stopping" << (cl_.stop_on_exit ? " the scheduler and its tasks" : " the scheduler; the tasks keep running");
    timer_.cancel();
    http_->close();
    if (entry_) entry_->stop();
    if (cl_.stop_on_exit) stop_tasks();
    io_.stop();
  }

  // Kills every task and waits (each task's kill grace period at most) until the backend reports
  // them all ended, recording their end in the state so the next start relaunches them in place.
  void stop_tasks() {
    scheduler_->stop_all_tasks();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!scheduler_->all_tasks_ended() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(backend_->next_poll_in());
      scheduler_->tick();
    }
  }

  std::string api_url() const { return "http://" + cl_.api_address + ":" + std::to_string(api_port_); }

  const command_line& cl_;
  fs::path state_dir_;
  cosmos::package_files package_;
  std::unique_ptr<core::kv::leveldb_kv_store> kv_;
  std::unique_ptr<state::state_store> store_;
  std::unique_ptr<local::local_backend> backend_;
  std::unique_ptr<service_scheduler> scheduler_;
  boost::asio::io_context io_;
  boost::asio::steady_timer timer_{io_};
  boost::asio::signal_set signals_{io_};
  std::unique_ptr<core::http::http_server> http_;
  std::unique_ptr<entry_point> entry_;
  nlohmann::json resolved_options_;
  std::uint16_t api_port_ = 0;
  bool deployed_reported_ = false;
  bool stopping_ = false;
};

}  // namespace

int run_local_service(const command_line& cl) { return local_service(cl).run(); }

}  // namespace ternmq::scheduler::runtime
