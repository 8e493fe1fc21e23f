#include "scheduler/offer/port_assignment.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace ternmq::scheduler::offers {
namespace {

constexpr model::port_range k_any_port{1, 65535};

bool contains(const std::vector<model::port_range>& ranges, std::uint16_t port) {
  return std::any_of(ranges.begin(), ranges.end(), [port](const auto& r) { return r.begin <= port && port <= r.end; });
}

std::string where(const backend::offer& offer) { return offer.hostname.empty() ? offer.agent_id : offer.hostname; }

std::string describe(const std::vector<model::port_range>& ranges) {
  std::string out;
  for (const auto& r : ranges) {
    out += (out.empty() ? "" : ", ") + std::to_string(r.begin) + "-" + std::to_string(r.end);
  }
  return out;
}

// The lowest port in `offered` and in `allowed` that is not `taken`.
std::optional<std::uint16_t> lowest_free(const std::vector<model::port_range>& offered,
                                         const std::vector<model::port_range>& allowed,
                                         const std::set<std::uint16_t>& taken) {
  std::optional<std::uint16_t> best;
  for (const auto& o : offered) {
    for (const auto& a : allowed) {
      const unsigned lo = std::max({o.begin, a.begin, k_any_port.begin});
      const unsigned hi = std::min(o.end, a.end);
      // `taken` is a handful of ports, so this walk ends after a few steps.
      for (unsigned p = lo; p <= hi; ++p) {
        if (best && p >= *best) break;
        if (!taken.contains(static_cast<std::uint16_t>(p))) {
          best = static_cast<std::uint16_t>(p);
          break;
        }
      }
    }
  }
  return best;
}

}  // namespace

core::status check_port_specs(const std::vector<model::port_spec>& ports) {
  std::map<std::string, int> names;
  std::map<std::uint16_t, std::string> fixed;
  for (const auto& p : ports) {
    if (++names[p.name] == 2) return core::status::failure("port " + p.name + " is listed twice");
    if (p.port == 0) continue;
    const auto [it, inserted] = fixed.emplace(p.port, p.name);
    if (!inserted) {
      return core::status::failure("ports " + it->second + " and " + p.name + " both ask for " + std::to_string(p.port));
    }
  }
  return core::status::success();
}

port_assignment assign_ports(const std::vector<model::port_spec>& ports, const port_map& reserved,
                             const backend::offer& offer) {
  port_assignment out;
  std::set<std::uint16_t> taken;
  for (const auto& p : ports) {
    if (p.port != 0) taken.insert(p.port);
  }
  // Fixed ports, and dynamic ports that keep their reservation.
  std::vector<const model::port_spec*> to_choose;
  for (const auto& p : ports) {
    std::uint16_t number = p.port;
    std::string what = "port " + p.name + " ";
    if (number == 0) {
      const auto r = reserved.find(p.name);
      if (r == reserved.end() || r->second == 0 || taken.contains(r->second)) {
        to_choose.push_back(&p);
        continue;
      }
      number = r->second;
      taken.insert(number);
      what += std::to_string(number) + " (reserved by the previous launch)";
    } else {
      what += std::to_string(number);
    }
    if (!contains(offer.ports, number)) {
      out.reason = what + " not free on " + where(offer);
      return out;
    }
    out.ports[p.name] = number;
  }
  for (const auto* p : to_choose) {
    const auto& allowed = p->ranges.empty() ? std::vector<model::port_range>{k_any_port} : p->ranges;
    const auto number = lowest_free(offer.ports, allowed, taken);
    if (!number) {
      out.reason = "no free port for " + p->name + " on " + where(offer);
      if (!p->ranges.empty()) out.reason += " within " + describe(p->ranges);
      return out;
    }
    taken.insert(*number);
    out.ports[p->name] = *number;
  }
  return out;
}

}  // namespace ternmq::scheduler::offers
