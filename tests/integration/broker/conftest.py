"""Fixtures for integration tests that drive the real `ternmq` binary.

Each test gets its own broker on an ephemeral loopback port (listener port 0; the broker prints
the bound address on stdout) in its own temporary directory, and the broker is stopped after the
test whatever happened. Run under /usr/bin/python3 (Debian's paho-mqtt and pytest).
"""
import os
import re
import select
import signal
import socket
import subprocess
import time

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BIN = os.environ.get("TERNMQ_BIN", os.path.join(ROOT, "build", "bin", "ternmq"))

LISTEN_RE = re.compile(r"ternmq: listener (tcp|ssl|ws|wss|vmq)\.(\S+) listening on (\S+):(\d+)")
# A listener definition: `listener.<transport>.<name> = <ip>:<port>` (not a listener setting);
# `vmq` is the cluster listener, reported as "vmq.NAME" in `ports`.
CONF_LISTENER_RE = re.compile(r"^\s*listener\.(tcp|ssl|ws|wss|vmq)\.([A-Za-z0-9_-]+)\s*=\s*(?:\[[0-9a-fA-F:.]*\]|[0-9.]+):\d+\s*$",
                              re.M)
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


class Broker:
    """A running ternmq process. `ports` maps "TRANSPORT.NAME" (and, for tcp, plain "NAME") to
    the bound port; `port` is the tcp `default` listener's, or the first one's."""

    def __init__(self, tmp_path, extra_conf="", listeners=None, conf_text=None, log_name="ternmq.log"):
        self.dir = tmp_path
        self.conf_path = os.path.join(str(tmp_path), "ternmq.conf")
        listeners = listeners or {"default": "127.0.0.1:0"}
        if conf_text is None:
            lines = [f"listener.tcp.{n} = {a}" for n, a in listeners.items()]
            lines += ["allow_anonymous = on", "log.console.level = debug"]
            conf_text = "\n".join(lines) + "\n" + extra_conf + "\n"
        with open(self.conf_path, "w") as f:
            f.write(conf_text)
        self.conf_text = conf_text
        expected = {f"{t}.{n}" for t, n in CONF_LISTENER_RE.findall(conf_text)}
        self.log_path = os.path.join(str(tmp_path), log_name)
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([BIN, "--config", self.conf_path], stdout=subprocess.PIPE,
                                     stderr=self.log, cwd=str(tmp_path), text=True)
        self.ports = {}
        deadline = time.time() + 10
        fd = self.proc.stdout.fileno()
        pending = b""
        while not expected <= set(self.ports):
            # Raw reads with a deadline: never block on a broker that prints nothing more.
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
            if not ready:
                raise RuntimeError("ternmq did not report its listeners in time: " + self.read_log())
            chunk = os.read(fd, 4096)
            if not chunk:
                self.proc.wait(5)
                raise RuntimeError("ternmq exited before listening: " + self.read_log())
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                m = LISTEN_RE.search(line.decode(errors="replace"))
                if m:
                    self.ports[f"{m.group(1)}.{m.group(2)}"] = int(m.group(4))
                    if m.group(1) == "tcp":
                        self.ports[m.group(2)] = int(m.group(4))
        self.port = self.ports.get("default") or next(iter(self.ports.values()))
        self.host = "127.0.0.1"

    def read_log(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def signal(self, sig):
        self.proc.send_signal(sig)

    def kill_and_restart(self):
        """SIGKILL, then a new broker on the same directory (same message store) and config.
        Listeners on port 0 get new ports."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.log.close()
        return Broker(self.dir, conf_text=self.conf_text, log_name="ternmq-restarted.log")

    def stop_and_check(self):
        """Stops the broker (unless a test killed it) and returns what went wrong: a non-zero exit
        after SIGTERM, or a sanitizer report in its log. Used at fixture teardown."""
        killed = self.proc.poll() is not None and self.proc.returncode < 0
        try:
            code = self.stop()
        except subprocess.TimeoutExpired:
            return [f"{self.dir}: ternmq did not exit within 10 s of SIGTERM"]
        problems = []
        if not killed and code != 0:
            problems.append(f"{self.dir}: ternmq exited with {code}")
        log = self.read_log()
        for marker in SANITIZER_MARKERS:
            if marker in log:
                problems.append(f"{self.dir}: sanitizer report in the broker log:\n{log[-4000:]}")
                break
        return problems

    def stop(self, timeout=10):
        """SIGTERM and wait; returns the exit code. Kills after `timeout` so no test hangs."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
        if self.proc.stdout and not self.proc.stdout.closed:
            self.proc.stdout.close()
        if not self.log.closed:
            self.log.close()
        return self.proc.returncode


@pytest.fixture
def make_broker(tmp_path):
    """Factory: make_broker(extra_conf="...", listeners={...}) -> Broker, or make_broker(conf_text=...)
    for a complete configuration; every broker is stopped and checked at teardown."""
    started = []

    def make(extra_conf="", listeners=None, subdir=None, conf_text=None, cls=None):
        d = tmp_path / (subdir or f"b{len(started)}")
        d.mkdir(exist_ok=True)
        b = (cls or Broker)(d, extra_conf, listeners, conf_text=conf_text)
        started.append(b)
        return b

    yield make
    problems = []
    for b in started:
        problems += b.stop_and_check()
    if problems:
        pytest.fail("broker shutdown problems:\n" + "\n".join(problems))


@pytest.fixture
def broker(make_broker):
    return make_broker()


def wait_for(predicate, timeout=5.0, interval=0.01):
    """Polls `predicate` until true or `timeout`; returns its last value. Tests wait for events,
    never for fixed times."""
    deadline = time.time() + timeout
    while True:
        v = predicate()
        if v or time.time() > deadline:
            return v
        time.sleep(interval)
