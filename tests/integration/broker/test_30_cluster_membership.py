"""30: cluster membership over real links: three `ternmq` processes on 127.0.0.1 joined with
`ternmq-admin`, liveness after SIGKILL, reconnection after a restart on the same data directory,
a wrong cookie refused, `cluster leave`, and garbage on the cluster listener.

Cluster listeners get fixed free ports (picked just before the start), because `ternmq-admin`
reads the node's address from its configuration file and a restarted node keeps its address.
"""
import os
import re
import signal
import socket
import subprocess

import pytest

from conftest import BIN, wait_for

ADMIN = os.environ.get("TERNMQ_ADMIN_BIN", os.path.join(os.path.dirname(BIN), "ternmq-admin"))
ROW_RE = re.compile(r"^\| (\S+)\s+\| (true|false)\s+\|$", re.M)
DEADLINE = 30.0  # generous: links redial with a backoff of up to 5 s


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def node_conf(name, port, cookie="secret-cookie"):
    return (f"listener.tcp.default = 127.0.0.1:0\n"
            f"listener.vmq.clustering = 127.0.0.1:{port}\n"
            f"nodename = {name}@127.0.0.1\n"
            f"distributed_cookie = {cookie}\n"
            "allow_anonymous = on\nlog.console.level = debug\n")


class Node:
    def __init__(self, make_broker, name, cookie="secret-cookie"):
        self.name = f"{name}@127.0.0.1"
        self.cluster_port = free_port()
        self.broker = make_broker(conf_text=node_conf(name, self.cluster_port, cookie), subdir=name)

    @property
    def discovery(self):
        return f"{self.name}:{self.cluster_port}"


def admin(node, *args, conf=None):
    return subprocess.run([ADMIN, "--config", conf or node.broker.conf_path, *args], capture_output=True, text=True,
                          timeout=60)


def show(node):
    """{nodename: running} as `cluster show` prints it on `node`, or None if the command failed."""
    r = admin(node, "cluster", "show")
    if r.returncode != 0:
        return None
    return {n: running == "true" for n, running in ROW_RE.findall(r.stdout)}


def join(node, via):
    r = admin(node, "cluster", "join", f"discovery-node={via.discovery}")
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture
def restarted():
    """Brokers started by `kill_and_restart`, stopped and checked at teardown."""
    brokers = []
    yield brokers
    problems = []
    for b in brokers:
        problems += b.stop_and_check()
    assert not problems, problems


@pytest.fixture
def three(make_broker):
    n1, n2, n3 = (Node(make_broker, n) for n in ("n1", "n2", "n3"))
    join(n2, n1)
    join(n3, n1)
    everyone = {n1.name: True, n2.name: True, n3.name: True}
    for n in (n1, n2, n3):
        assert wait_for(lambda n=n: show(n) == everyone, DEADLINE), (n.name, show(n), n.broker.read_log()[-3000:])
    return n1, n2, n3


def test_fresh_node_shows_itself(make_broker):
    n1 = Node(make_broker, "n1")
    r = admin(n1, "cluster", "show")
    assert r.returncode == 0, r.stderr
    assert "| Node" in r.stdout and "| Running |" in r.stdout
    assert show(n1) == {n1.name: True}


def test_three_nodes_join_and_see_each_other(three):
    n1, n2, n3 = three
    # Node 3 joined through node 1 only, yet linked to node 2 by itself.
    assert "cluster link to n2@127.0.0.1 up" in n3.broker.read_log()


def test_killed_node_is_not_running_then_reconnects_after_restart(three, restarted):
    n1, n2, n3 = three
    n3.broker.proc.kill()
    n3.broker.proc.wait()
    down = {n1.name: True, n2.name: True, n3.name: False}
    for n in (n1, n2):
        assert wait_for(lambda n=n: show(n) == down, DEADLINE), show(n)
    n3.broker = n3.broker.kill_and_restart()
    restarted.append(n3.broker)
    # The restarted node reads its member list from its store and redials its peers by itself.
    everyone = {n1.name: True, n2.name: True, n3.name: True}
    for n in (n1, n2, n3):
        assert wait_for(lambda n=n: show(n) == everyone, DEADLINE), (n.name, show(n))


def test_silent_node_is_dropped_by_pings_and_comes_back(three):
    """A stopped process keeps its TCP connections open: only the missing pongs reveal it."""
    n1, n2, n3 = three
    n3.broker.proc.send_signal(signal.SIGSTOP)
    try:
        down = {n1.name: True, n2.name: True, n3.name: False}
        for n in (n1, n2):
            assert wait_for(lambda n=n: show(n) == down, DEADLINE), show(n)
        assert "no answer to 3 pings" in n1.broker.read_log()
    finally:
        n3.broker.proc.send_signal(signal.SIGCONT)
    everyone = {n1.name: True, n2.name: True, n3.name: True}
    for n in (n1, n2, n3):
        assert wait_for(lambda n=n: show(n) == everyone, DEADLINE), (n.name, show(n))


def test_wrong_cookie_cannot_join(three, make_broker):
    n1, n2, n3 = three
    intruder = Node(make_broker, "n4", cookie="not-the-cookie")
    r = admin(intruder, "cluster", "join", f"discovery-node={n1.discovery}")
    assert r.returncode == 1
    assert "wrong_cookie" in r.stderr
    assert wait_for(lambda: "wrong_cookie" in n1.broker.read_log(), DEADLINE)
    for n in (n1, n2, n3):
        assert intruder.name not in show(n)
    assert show(intruder) == {intruder.name: True}


def test_admin_with_wrong_cookie_cannot_reach_the_node(make_broker, tmp_path):
    n1 = Node(make_broker, "n1")
    conf = tmp_path / "other.conf"
    conf.write_text(node_conf("n1", n1.cluster_port, cookie="guess"))
    r = admin(n1, "cluster", "show", conf=str(conf))
    assert r.returncode == 3
    assert "wrong_cookie" in r.stderr


def test_leave_removes_the_node_everywhere_and_it_is_not_redialled(three):
    n1, n2, n3 = three
    r = admin(n1, "cluster", "leave", f"node={n3.name}")
    assert r.returncode == 0, r.stderr
    rest = {n1.name: True, n2.name: True}
    for n in (n1, n2):
        assert wait_for(lambda n=n: show(n) == rest, DEADLINE), show(n)
    # Node 3 learnt that it left: it is a node on its own and keeps no link.
    assert wait_for(lambda: show(n3) == {n3.name: True}, DEADLINE), show(n3)
    assert wait_for(lambda: "this node has left its cluster" in n3.broker.read_log(), DEADLINE)
    ups = [n.broker.read_log().count("cluster link to n3@127.0.0.1 up") for n in (n1, n2)]
    # Longer than the longest redial delay: no node links to node 3 again.
    wait_for(lambda: False, 6.0, interval=0.5)
    assert [n.broker.read_log().count("cluster link to n3@127.0.0.1 up") for n in (n1, n2)] == ups
    assert show(n1) == rest and show(n3) == {n3.name: True}
    # Leaving twice is an error answer.
    again = admin(n1, "cluster", "leave", f"node={n3.name}")
    assert again.returncode == 1 and "already left" in again.stderr


def test_garbage_on_the_cluster_listener_is_dropped(make_broker):
    n1 = Node(make_broker, "n1")
    for junk in (b"\xff\xff\xff\xff\x01", b"\x00\x00\x00\x00", b"GET / HTTP/1.1\r\n\r\n", os.urandom(5000)):
        with socket.create_connection(("127.0.0.1", n1.cluster_port), timeout=5) as s:
            s.sendall(junk)
            s.settimeout(5)
            try:
                while s.recv(4096):
                    pass
            except (ConnectionResetError, socket.timeout):
                pass
    assert show(n1) == {n1.name: True}
    assert n1.broker.proc.poll() is None


def test_usage_errors(make_broker):
    n1 = Node(make_broker, "n1")
    assert admin(n1, "cluster", "frobnicate").returncode == 2
    assert admin(n1, "cluster", "join").returncode == 2
    r = admin(n1, "cluster", "leave", "node=x@h", "-k")
    assert r.returncode == 2 and "not supported yet" in r.stderr
    bad = admin(n1, "cluster", "join", "discovery-node=nohost")
    assert bad.returncode == 1 and "NAME@HOST:PORT" in bad.stderr
    assert admin(n1, "cluster", "leave", "node=nobody@h").returncode == 1


def test_unreachable_node(make_broker, tmp_path):
    conf = tmp_path / "down.conf"
    conf.write_text(node_conf("down", free_port()))
    r = subprocess.run([ADMIN, "--config", str(conf), "cluster", "show"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 3 and "cannot reach" in r.stderr
