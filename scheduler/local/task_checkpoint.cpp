// Task checkpoints: their JSON form and their directory, written by temporary file + rename.
#include "scheduler/local/task_checkpoint.hpp"

#include <algorithm>
#include <cerrno>
#include <system_error>

#include <nlohmann/json.hpp>

#include "scheduler/local/file_io.hpp"

namespace ternmq::scheduler::local {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_suffix = ".json";
constexpr std::string_view k_temp_suffix = ".json.tmp";  // see replace_file_atomically

nlohmann::json health_to_json(const model::health_check_spec& c) {
  return {{"cmd", c.cmd},
          {"interval_s", c.interval.count()},
          {"delay_s", c.delay.count()},
          {"timeout_s", c.timeout.count()},
          {"grace_period_s", c.grace_period.count()},
          {"max_consecutive_failures", c.max_consecutive_failures}};
}

nlohmann::json readiness_to_json(const model::readiness_check_spec& c) {
  return {{"cmd", c.cmd},
          {"interval_s", c.interval.count()},
          {"delay_s", c.delay.count()},
          {"timeout_s", c.timeout.count()}};
}

std::chrono::seconds seconds_at(const nlohmann::json& j, const char* key) {
  return std::chrono::seconds(j.at(key).get<std::int64_t>());
}

}  // namespace

nlohmann::json to_json(const task_checkpoint& c) {
  nlohmann::json j{
      {"task_id", c.task_id},
      {"task_name", c.task_name},
      {"agent_id", c.agent_id},
      {"ip", c.ip},
      {"sandbox", c.sandbox},
      {"pid", c.pid},
      {"start_time", c.start_time},
      {"resources", {{"cpus", c.resources.cpus}, {"mem", c.resources.memory_mb}, {"disk", c.resources.disk_mb}}},
      {"ports", c.ports},
      {"volume_ids", c.volume_ids},
      {"env", c.env},
      {"kill_grace_period_s", c.kill_grace_period.count()},
      {"ready", c.ready}};
  if (c.readiness_check) j["readiness_check"] = readiness_to_json(*c.readiness_check);
  if (c.health_check) j["health_check"] = health_to_json(*c.health_check);
  return j;
}

core::result<task_checkpoint> task_checkpoint_from_json(const nlohmann::json& j) {
  try {
    task_checkpoint c;
    c.task_id = j.at("task_id").get<std::string>();
    c.task_name = j.at("task_name").get<std::string>();
    c.agent_id = j.at("agent_id").get<std::string>();
    c.ip = j.at("ip").get<std::string>();
    c.sandbox = j.at("sandbox").get<std::string>();
    c.pid = j.at("pid").get<pid_t>();
    c.start_time = j.at("start_time").get<std::uint64_t>();
    const auto& res = j.at("resources");
    c.resources = {res.at("cpus").get<double>(), res.at("mem").get<double>(), res.at("disk").get<double>()};
    c.ports = j.at("ports").get<std::map<std::string, std::uint16_t>>();
    c.volume_ids = j.at("volume_ids").get<std::vector<std::string>>();
    c.env = j.at("env").get<std::map<std::string, std::string>>();
    c.kill_grace_period = seconds_at(j, "kill_grace_period_s");
    c.ready = j.at("ready").get<bool>();
    if (j.contains("readiness_check")) {
      const auto& r = j.at("readiness_check");
      c.readiness_check = model::readiness_check_spec{r.at("cmd").get<std::string>(), seconds_at(r, "interval_s"),
                                                      seconds_at(r, "delay_s"), seconds_at(r, "timeout_s")};
    }
    if (j.contains("health_check")) {
      const auto& h = j.at("health_check");
      c.health_check = model::health_check_spec{
          h.at("cmd").get<std::string>(),  seconds_at(h, "interval_s"),
          seconds_at(h, "delay_s"),        seconds_at(h, "timeout_s"),
          seconds_at(h, "grace_period_s"), h.at("max_consecutive_failures").get<std::uint32_t>()};
    }
    if (c.pid <= 0) return core::error{EINVAL, "task checkpoint: invalid pid " + std::to_string(c.pid)};
    return c;
  } catch (const nlohmann::json::exception& e) {
    return core::error{EINVAL, std::string("task checkpoint: ") + e.what()};
  }
}

fs::path checkpoint_store::path_of(const std::string& task_id) const {
  return dir_ / (task_id + std::string(k_suffix));
}

core::status checkpoint_store::open() const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return core::status::failure("cannot create " + dir_.string() + ": " + ec.message());
  return core::status::success();
}

core::status checkpoint_store::save(const task_checkpoint& checkpoint) const {
  // Invalid UTF-8 in an environment value is replaced rather than thrown about.
  const std::string text = to_json(checkpoint).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (auto written = replace_file_atomically(path_of(checkpoint.task_id).string(), text); !written) {
    return core::status::failure("cannot checkpoint task " + checkpoint.task_id + ": " + written.message());
  }
  return core::status::success();
}

void checkpoint_store::remove(const std::string& task_id) const {
  std::error_code ec;
  fs::remove(path_of(task_id), ec);
}

bool checkpoint_store::contains(const std::string& task_id) const {
  std::error_code ec;
  return fs::exists(path_of(task_id), ec);
}

std::vector<checkpoint_store::entry> checkpoint_store::load_all() const {
  std::vector<entry> entries;
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.ends_with(k_temp_suffix)) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
      continue;
    }
    if (!name.ends_with(k_suffix)) continue;
    const std::string task_id = name.substr(0, name.size() - k_suffix.size());
    const auto text = read_whole_file(it->path().string());
    auto json = nlohmann::json::parse(text.value_or(""), nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) {
      entries.push_back({task_id, core::error{EINVAL, "task checkpoint " + name + " is not valid JSON"}});
      continue;
    }
    entries.push_back({task_id, task_checkpoint_from_json(json)});
  }
  std::sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) { return a.task_id < b.task_id; });
  return entries;
}

}  // namespace ternmq::scheduler::local
