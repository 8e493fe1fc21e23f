"""edge-lb/pool.json.mustache, rendered with each option set's resolved options and the pool
settings: a V2 pool with one TCP frontend per enabled listener (on the listener's VIP port),
backends that select the broker tasks' named ports, and HAProxy settings HAProxy accepts."""
import re
import subprocess

import pytest

import package_util as u

SETS = sorted(u.option_sets())
LISTENERS = {"mqtt_tls": "mqtt-tls", "websocket": "websocket", "websocket_tls": "websocket-tls"}


def expected_frontends(opts) -> dict[str, int]:
    out = {"mqtt": 1883}
    for key, name in LISTENERS.items():
        if opts["listeners"][key]["enabled"]:
            out[name] = opts["listeners"][key]["vip_port"]
    return out


@pytest.fixture(scope="module", params=SETS)
def pool(request):
    options = u.option_sets()[request.param]
    return u.resolved_options(options), u.render_svc(options)[2], u.render_pool(options)


def test_pool_header(pool):
    _, _, p = pool
    assert p["apiVersion"] == "V2"
    assert p["name"] == u.DEFAULT_POOL["name"] and p["count"] == 1
    assert p["haproxy"]["stats"] == {"bindPort": 9090}


def test_one_frontend_per_enabled_listener(pool):
    opts, _, p = pool
    frontends = {f["name"]: f for f in p["haproxy"]["frontends"]}
    assert {n: f["bindPort"] for n, f in frontends.items()} == expected_frontends(opts)
    assert all(f["protocol"] == "TCP" for f in frontends.values())
    assert all(f["linkBackend"] == {"defaultBackend": n} for n, f in frontends.items())
    ports = [f["bindPort"] for f in frontends.values()] + [p["haproxy"]["stats"]["bindPort"]]
    assert len(ports) == len(set(ports))


def test_backends_select_the_broker_ports(pool):
    opts, spec, p = pool
    advertised = {n for n, port in u.broker_task(spec)["ports"].items() if port.get("advertise")}
    backends = {b["name"]: b for b in p["haproxy"]["backends"]}
    assert set(backends) == set(expected_frontends(opts))
    for name, b in backends.items():
        assert b["protocol"] == "TCP" and b["balance"] == "leastconn"
        (service,) = b["services"]
        assert service["endpoint"] == {"portName": name}
        assert name in advertised
        assert service["mesos"]["frameworkName"] == opts["service"]["name"]
        pattern = re.compile(service["mesos"]["taskNamePattern"])
        assert pattern.search(u.TASK_NAME_FORMAT.format(index=0))
        assert pattern.search(u.TASK_NAME_FORMAT.format(index=12))
        assert not pattern.search("node-0-broker-sidecar") and not pattern.search("other-0-broker")


def test_pool_settings_are_parameters():
    p = u.render_pool({}, {"name": "mqtt-edge", "count": 4, "stats_port": 9191, "idle_timeout": "30m"})
    assert (p["name"], p["count"], p["haproxy"]["stats"]["bindPort"]) == ("mqtt-edge", 4, 9191)
    assert p["haproxy"]["frontends"][0]["miscStrs"] == ["timeout client 30m"]


def haproxy_cfg(p) -> str:
    """The pool as Edge-LB turns it into haproxy.cfg (frontend/backend sections, miscStrs as
    raw lines), with one placeholder server per backend."""
    lines = ["global", "  maxconn 10000", "defaults", "  mode tcp", "  timeout connect 5s",
             "  timeout client 30s", "  timeout server 30s",
             "listen stats", f"  bind 127.0.0.1:{p['haproxy']['stats']['bindPort']}", "  mode http", "  stats enable"]
    for f in p["haproxy"]["frontends"]:
        lines += [f"frontend {f['name']}", f"  bind 127.0.0.1:{f['bindPort']}", "  mode tcp"]
        lines += [f"  {s}" for s in f.get("miscStrs", [])]
        lines += [f"  default_backend {f['linkBackend']['defaultBackend']}"]
    for b in p["haproxy"]["backends"]:
        lines += [f"backend {b['name']}", "  mode tcp", f"  balance {b['balance']}"]
        lines += [f"  {s}" for s in b.get("miscStrs", [])]
        lines += [f"  server {b['name']}_0 127.0.0.1:1 check"]
    return "\n".join(lines) + "\n"


@pytest.mark.skipif(not u.which("haproxy"), reason="haproxy is not installed (scripts/setup.sh installs it)")
def test_haproxy_accepts_the_sections(pool, tmp_path):
    _, _, p = pool
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(haproxy_cfg(p))
    r = subprocess.run(["haproxy", "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr
