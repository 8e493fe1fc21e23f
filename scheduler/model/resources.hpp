// Scalar resources in Mesos units: what a task asks for, or what an offer holds. A value type.
#pragma once

namespace ternmq::scheduler::model {

struct resources {
  double cpus = 0;
  double memory_mb = 0;  // Mesos `mem`
  double disk_mb = 0;    // Mesos `disk`

  resources& operator+=(const resources& other) {
    cpus += other.cpus;
    memory_mb += other.memory_mb;
    disk_mb += other.disk_mb;
    return *this;
  }
  friend resources operator+(resources a, const resources& b) { return a += b; }
  friend bool operator==(const resources&, const resources&) = default;
};

// True when `have` holds at least `need` of every resource.
inline bool covers(const resources& have, const resources& need) {
  return have.cpus >= need.cpus && have.memory_mb >= need.memory_mb && have.disk_mb >= need.disk_mb;
}

}  // namespace ternmq::scheduler::model
