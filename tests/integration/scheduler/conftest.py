"""Fixtures for integration tests that drive the real `ternmq-scheduler --local`: the scheduler
launches real broker processes (build/bin/ternmq) as node tasks and a real HAProxy as the entry
point. Every test gets its own state directory, API port, entry ports and agent port range, and
every process it started is gone afterwards (`--uninstall`, then a sweep of anything still running
in the state directory). Run under /usr/bin/python3 (Debian's paho-mqtt and pytest)."""
import json
import os
import random
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BIN_DIR = os.environ.get("TERNMQ_BIN_DIR", os.path.join(ROOT, "build", "bin"))
SCHEDULER = os.path.join(BIN_DIR, "ternmq-scheduler")
CLI = os.path.join(BIN_DIR, "ternmq-cli")
BROKER = os.path.join(BIN_DIR, "ternmq")
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout=30.0, interval=0.1, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def processes_under(directory):
    """Pids of processes whose working directory is inside `directory` (the task sandboxes)."""
    directory = os.path.realpath(directory)
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cwd = os.readlink(f"/proc/{entry}/cwd")
        except OSError:
            continue
        if cwd == directory or cwd.startswith(directory + os.sep):
            found.append(int(entry))
    return found


class LocalService:
    """One `ternmq-scheduler --local` with its options, state directory and ports."""

    def __init__(self, tmp_path, options, name="svc"):
        self.dir = str(tmp_path)
        self.state_dir = os.path.join(self.dir, "state-" + name)
        self.options_path = os.path.join(self.dir, f"options-{name}.json")
        self.write_options(options)
        self.api_port = free_port()
        self.entry_port = free_port()
        self.stats_port = free_port()
        base = random.randrange(20000, 29000, 100)
        self.port_range = f"{base}-{base + 99}"
        self.url = f"http://127.0.0.1:{self.api_port}"
        self.proc = None
        self.log_path = None
        self.starts = 0

    def write_options(self, options):
        with open(self.options_path, "w") as f:
            json.dump(options, f)

    def args(self):
        return [SCHEDULER, "--spec", os.path.join(ROOT, "svc.yml"), "--local",
                "--options", self.options_path, "--state-dir", self.state_dir,
                "--api-port", str(self.api_port), "--port-range", self.port_range,
                "--entry-port", f"mqtt={self.entry_port}", "--entry-port", f"stats={self.stats_port}",
                "--ternmq-bin", BROKER]

    def start(self, extra=()):
        self.starts += 1
        self.log_path = os.path.join(self.dir, f"scheduler-{self.starts}.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(self.args() + list(extra), stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(lambda: self.api_up(), timeout=20, what="the scheduler API")
        return self

    def api_up(self):
        if self.proc.poll() is not None:
            raise AssertionError("ternmq-scheduler exited: " + self.read_log())
        try:
            self.get("/v1/health")
            return True
        except (OSError, urllib.error.URLError):
            return False

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def get(self, path):
        return self.request("GET", path)

    def get_json(self, path):
        code, body = self.get(path)
        return code, json.loads(body) if body else None

    def plan(self, name="deploy"):
        return self.get_json(f"/v1/plans/{name}")

    def wait_deployed(self, timeout=90):
        def complete():
            code, plan = self.plan()
            if code == 417:
                raise AssertionError("deploy plan has errors: " + json.dumps(plan))
            return code == 200 and plan["status"] == "COMPLETE"
        wait_for(complete, timeout=timeout, interval=0.25, what="the deploy plan to complete")

    def cli(self, *args, check=True, timeout=60):
        out = subprocess.run([CLI, "--url", self.url, *args], capture_output=True, text=True, timeout=timeout)
        if check and out.returncode != 0:
            raise AssertionError(f"ternmq-cli {' '.join(args)} exited {out.returncode}: {out.stdout}{out.stderr}")
        return out

    def tasks(self):
        """{task name: {"id", "status"}} from /v1/pod/status."""
        code, status = self.get_json("/v1/pod/status")
        assert code == 200, status
        found = {}
        for pod in status["pods"]:
            for instance in pod["instances"]:
                for task in instance["tasks"]:
                    found[task["name"]] = task
        return found

    def endpoint(self, name="mqtt"):
        code, body = self.get_json(f"/v1/endpoints/{name}")
        assert code == 200, body
        return body

    def node_ports(self):
        """MQTT host ports of the nodes, in node order."""
        return [int(a.rsplit(":", 1)[1]) for a in self.endpoint("mqtt")["address"]]

    def broker_pid(self, task_name):
        """The pid of the broker process of `task_name` (its cwd is the task's sandbox)."""
        for pid in processes_under(self.state_dir):
            try:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    env = f.read().split(b"\0")
                with open(f"/proc/{pid}/comm") as f:
                    comm = f.read().strip()
            except OSError:
                continue
            if comm == "ternmq" and f"TASK_NAME={task_name}".encode() in env:
                return pid
        return None

    def sanitizer_reports(self):
        """Sanitizer reports in the scheduler's logs and in every task's stderr (ASan builds)."""
        found = []
        paths = [os.path.join(self.dir, f) for f in os.listdir(self.dir) if f.startswith("scheduler-")]
        for root, _, files in os.walk(self.state_dir):
            paths += [os.path.join(root, f) for f in files if f == "stderr"]
        for path in paths:
            try:
                with open(path, errors="replace") as f:
                    text = f.read()
            except OSError:
                continue
            if any(marker in text for marker in SANITIZER_MARKERS):
                found.append(path + ":\n" + text[-4000:])
        return found

    def cleanup(self):
        self.stop()
        # The brokers end first (SIGTERM, as a kill would), so that their sanitizer reports, written
        # at exit, are in their stderr before --uninstall removes the sandboxes.
        for pid in processes_under(self.state_dir):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.time() + 15
        while processes_under(self.state_dir) and time.time() < deadline:
            time.sleep(0.1)
        reports = self.sanitizer_reports()
        if os.path.isdir(self.state_dir):
            subprocess.run(self.args() + ["--uninstall"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=60)
        for pid in processes_under(self.dir):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return reports


def base_options(count=3, **sections):
    options = {"node": {"count": count, "mem": 256, "cpus": 0.5, "kill_grace_period": 5},
               "auth": {"allow_anonymous": True},
               "broker": {"systree_enabled": False}}
    for key, value in sections.items():
        options.setdefault(key, {}).update(value)
    return options


@pytest.fixture
def local_service(tmp_path):
    created = []

    def make(options=None, name="svc", start=True):
        service = LocalService(tmp_path, options or base_options(), name=name)
        created.append(service)
        if start:
            service.start()
        return service

    yield make
    reports = []
    for service in created:
        reports += service.cleanup()
    assert not reports, "sanitizer reports:\n" + "\n".join(reports)
    leftovers = processes_under(str(tmp_path))
    assert not leftovers, f"processes left running: {leftovers}"
