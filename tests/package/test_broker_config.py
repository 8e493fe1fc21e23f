"""ternmq.conf.mustache rendered with each task's environment (from the rendered svc.yml) is a
config the real broker accepts, for every option set; and the task itself works: svc.yml's cmd
started the way Mesos starts it (/bin/sh -c in a sandbox holding ./ternmq and ternmq.conf)
brings up a broker that passes svc.yml's readiness and health checks and serves the listeners
and credentials the options ask for."""
import base64
import os
import re
import socket
import ssl
import struct
import subprocess
import time

import pytest

import package_util as u

SETS = sorted(u.option_sets())
BIN = u.ternmq_bin()
needs_broker = pytest.mark.skipif(BIN is None, reason="no ternmq binary: set TERNMQ_BIN or build build/bin/ternmq")


@pytest.fixture(scope="module")
def ternmq():
    assert BIN.exists(), f"TERNMQ_BIN={BIN} does not exist: build the ternmq target first"
    return BIN


def specs():
    return {name: (u.resolved_options(o), u.render_svc(o)[2]) for name, o in u.option_sets().items()}


SPECS = specs()


# ---- the rendered file -----------------------------------------------------------------------

@needs_broker
@pytest.mark.parametrize("name", SETS)
def test_rendered_config_passes_ternmq_check(name, ternmq, tmp_path):
    opts, spec = SPECS[name]
    for index in range(opts["node"]["count"]):
        conf = tmp_path / f"node-{index}.conf"
        conf.write_text(u.render_conf(u.task_env(spec, index)))
        r = subprocess.run([str(ternmq), "--check", "--config", str(conf)], capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, f"{name} node {index}: {r.stdout}{r.stderr}\n{conf.read_text()}"


@pytest.mark.parametrize("name", SETS)
def test_listeners_follow_the_enabled_ports(name):
    opts, spec = SPECS[name]
    env = u.task_env(spec, 0)
    conf = u.conf_entries(u.render_conf(env))
    assert env["BIND_ADDRESS"] == "0.0.0.0"  # on DC/OS: every address of the agent
    assert conf["listener.tcp.mqtt"] == f"0.0.0.0:{env['PORT_MQTT']}"
    assert conf["listener.vmq.cluster"] == f"0.0.0.0:{env['PORT_CLUSTER']}"
    assert conf["listener.http.admin"] == f"0.0.0.0:{env['PORT_HTTP']}"
    local = u.conf_entries(u.render_conf(u.task_env(spec, 0, bind_address="127.0.0.1")))
    addresses = [v for k, v in local.items() if k.startswith("listener.") and re.fullmatch(r"[0-9.]+:\d+", v)]
    assert len(addresses) >= 3 and all(a.startswith("127.0.0.1:") for a in addresses), addresses
    for key, transport, listener, env_key in (("mqtt_tls", "ssl", "mqtt-tls", "PORT_MQTT_TLS"),
                                              ("websocket", "ws", "websocket", "PORT_WEBSOCKET"),
                                              ("websocket_tls", "wss", "websocket-tls", "PORT_WEBSOCKET_TLS")):
        line = f"listener.{transport}.{listener}"
        if opts["listeners"][key]["enabled"]:
            assert conf[line] == f"0.0.0.0:{env[env_key]}"
        else:
            assert line not in conf and env_key not in env
    tls_on = opts["listeners"]["mqtt_tls"]["enabled"] or opts["listeners"]["websocket_tls"]["enabled"]
    assert any(k.endswith(".certfile") for k in conf) == tls_on
    assert any(k.endswith(".cafile") for k in conf) == (tls_on and bool(opts["tls"]["ca_certificate"]))


@pytest.mark.parametrize("name", SETS)
def test_settings_and_files(name):
    opts, spec = SPECS[name]
    env = u.task_env(spec, 1)
    conf = u.conf_entries(u.render_conf(env))
    assert conf["nodename"] == f"node-1-broker@{u.autoip_host(opts['service']['name'])}"
    assert conf["persistent_store_dir"].startswith(spec["pods"]["node"]["volume"]["path"] + "/")
    assert conf["allow_anonymous"] == ("on" if opts["auth"]["allow_anonymous"] else "off")
    assert ("vmq_passwd.password_file" in conf) == bool(opts["auth"]["password_file"])
    assert ("vmq_acl.acl_file" in conf) == bool(opts["auth"]["acl_file"])
    assert conf["log.console.level"] == opts["broker"]["log_level"]
    assert conf["max_session_expiry_interval"] == opts["broker"]["max_session_expiry_interval"]


def test_nodenames_differ_between_nodes():
    _, spec = SPECS["big-5-nodes"]
    names = {u.conf_entries(u.render_conf(u.task_env(spec, i)))["nodename"] for i in range(5)}
    assert len(names) == 5


def test_template_keys_follow_the_env_naming_rule():
    # `key = {{{NAME}}}`: NAME is the key upper-cased with dots as underscores; per-transport TLS
    # keys listener.ssl.X and listener.wss.X share TLS_X (tls_version: TLS_VERSION); listener.X
    # is LISTENER_X.
    for line in u.CONF_TEMPLATE.read_text().splitlines():
        m = re.fullmatch(r"([a-z0-9_.-]+) = \{\{\{([A-Z0-9_]+)\}\}\}", line)
        if not m:
            continue
        key, name = m.groups()
        tls = re.fullmatch(r"listener\.(ssl|wss)\.([a-z_]+)", key)
        expected = "TLS_" + tls.group(2).upper().removeprefix("TLS_") if tls else key.upper().replace(".", "_")
        assert name == expected, line


# ---- the task, started as Mesos starts it -------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect_packet(username: str | None = None, password: str | None = None) -> bytes:
    """MQTT 3.1.1 CONNECT, clean session, empty client id."""
    def s(v: str) -> bytes:
        return struct.pack("!H", len(v.encode())) + v.encode()
    flags = 0x02 | (0x80 if username is not None else 0) | (0x40 if password is not None else 0)
    body = s("MQTT") + bytes([4, flags]) + struct.pack("!H", 60) + s("")
    body += (s(username) if username is not None else b"") + (s(password) if password is not None else b"")
    assert len(body) < 128
    return bytes([0x10, len(body)]) + body


def connack_code(sock) -> int:
    data = b""
    while len(data) < 4:
        chunk = sock.recv(4 - len(data))
        assert chunk, f"connection closed after {data!r}"
        data += chunk
    assert data[0] == 0x20 and data[1] == 2, data
    return data[3]


class Task:
    def __init__(self, spec, sandbox, ternmq, index=0):
        self.task = u.broker_task(spec)
        # Loopback only, as local mode routes it: tests never listen on other interfaces.
        self.env = u.task_env(spec, index, {name: free_port() for name in self.task["ports"]}, bind_address="127.0.0.1")
        self.sandbox = sandbox
        sandbox.mkdir()
        (sandbox / "ternmq").symlink_to(ternmq)
        (sandbox / "ternmq.conf").write_text(u.render_conf(self.env))
        self.proc_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "MESOS_SANDBOX": str(sandbox), **self.env}
        self.log = open(sandbox / "stderr", "w+")
        self.proc = subprocess.Popen(["/bin/sh", "-c", self.task["cmd"]], cwd=sandbox, env=self.proc_env,
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def port(self, name: str) -> int:
        return int(self.env[self.task["ports"][name]["env-key"]])

    def check(self, kind: str) -> int:
        r = subprocess.run(["/bin/sh", "-c", self.task[kind]["cmd"]], cwd=self.sandbox, env=self.proc_env,
                           capture_output=True, timeout=self.task[kind]["timeout"] + 5)
        return r.returncode

    def wait_ready(self, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"task exited {self.proc.returncode}: {self.output()}"
            if self.check("readiness-check") == 0:
                return
            time.sleep(0.2)
        raise AssertionError(f"not ready after {seconds}s: {self.output()}")

    def output(self) -> str:
        self.log.flush()
        return (self.sandbox / "stderr").read_text()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture
def launch(ternmq, tmp_path):
    tasks = []

    def start(spec, index=0):
        t = Task(spec, tmp_path / f"sandbox-{len(tasks)}", ternmq, index)
        tasks.append(t)
        return t
    yield start
    for t in tasks:
        t.stop()


@needs_broker
@pytest.mark.parametrize("name", SETS)
def test_task_becomes_ready_and_healthy(name, launch):
    _, spec = SPECS[name]
    task = launch(spec)
    task.wait_ready()
    assert task.check("health-check") == 0
    with socket.create_connection(("127.0.0.1", task.port("mqtt")), timeout=5) as s:
        s.sendall(connect_packet())
        code = connack_code(s)
    assert code == (0 if SPECS[name][0]["auth"]["allow_anonymous"] else 5)


@needs_broker
def test_checks_fail_without_a_broker(tmp_path):
    _, spec = SPECS["defaults"]
    task = u.broker_task(spec)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PORT_MQTT": str(free_port())}
    for kind in ("readiness-check", "health-check"):
        r = subprocess.run(["/bin/sh", "-c", task[kind]["cmd"]], env=env, cwd=tmp_path, capture_output=True, timeout=15)
        assert r.returncode != 0, kind


@needs_broker
def test_checks_fail_on_a_port_that_does_not_speak_mqtt(tmp_path):
    _, spec = SPECS["defaults"]
    task = u.broker_task(spec)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PORT_MQTT": str(server.getsockname()[1])}
        proc = subprocess.Popen(["/bin/sh", "-c", task["readiness-check"]["cmd"]], env=env, cwd=tmp_path)
        conn, _ = server.accept()
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        conn.close()
        assert proc.wait(timeout=15) != 0


@needs_broker
def test_password_file_and_acl_are_installed(launch):
    opts, spec = SPECS["auth-password-acl"]
    task = launch(spec)
    task.wait_ready()
    assert (task.sandbox / "auth" / "vmq.passwd").read_bytes() == base64.b64decode(opts["auth"]["password_file"])
    assert (task.sandbox / "auth" / "vmq.acl").read_bytes() == base64.b64decode(opts["auth"]["acl_file"])
    assert oct((task.sandbox / "auth" / "vmq.passwd").stat().st_mode & 0o777) == "0o600"
    for password, expected in (("secret", 0), ("wrong", 4)):
        with socket.create_connection(("127.0.0.1", task.port("mqtt")), timeout=10) as s:
            s.sendall(connect_packet("alice", password))
            assert connack_code(s) == expected, password


@needs_broker
def test_tls_listeners_serve_the_given_certificate(launch, tmp_path):
    opts, spec = SPECS["all-listeners-tls"]
    task = launch(spec)
    task.wait_ready()
    ca = tmp_path / "ca.pem"
    ca.write_bytes(base64.b64decode(opts["tls"]["ca_certificate"]))
    context = ssl.create_default_context(cafile=str(ca))
    with socket.create_connection(("127.0.0.1", task.port("mqtt-tls")), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(connect_packet())
            assert connack_code(s) == 0
    with socket.create_connection(("127.0.0.1", task.port("websocket-tls")), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as s:
            assert s.version() in ("TLSv1.2", "TLSv1.3")
    with socket.create_connection(("127.0.0.1", task.port("websocket")), timeout=10):
        pass


@needs_broker
def test_tls_listener_without_certificate_stops_with_a_clear_message(launch):
    _, _, spec = u.render_svc({"listeners": {"mqtt_tls": {"enabled": True}}})
    task = launch(spec)
    assert task.proc.wait(timeout=15) == 1
    assert "tls.certificate or tls.private_key is empty" in task.output()


@needs_broker
@pytest.mark.parametrize("versions", ["3", "5"])
def test_probe_passes_whatever_mqtt_versions_are_allowed(versions, launch):
    # The probe speaks MQTT 3.1.1; a broker that refuses that level still answers with a CONNACK.
    _, _, spec = u.render_svc({"listeners": {"allowed_protocol_versions": versions}})
    task = launch(spec)
    task.wait_ready()
    assert task.check("health-check") == 0
