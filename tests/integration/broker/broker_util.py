"""Helpers for the access-control, TLS and mountpoint tests (test_20 .. test_23).

- `conf_broker` fixture: conftest's `make_broker` on a complete configuration text; ports are in
  `broker.ports["ssl.name"]`.
- `start_fails(conf_text, dir)`: runs a broker expected to refuse to start; returns
  (exit code, stderr, stdout).
- `AuthConn`: clients.RawConn with a user name, a password, a will, and an optional TLS
  socket; `connack(...)` returns just the CONNACK code of a CONNECT.
- `wait_log(broker, text)`: waits for text in the broker's log.
"""
import os
import ssl
import subprocess
import time

import pytest

import clients
import rawmqtt
from conftest import BIN, wait_for

@pytest.fixture
def conf_broker(make_broker):
    """Factory: conf_broker(conf_text) -> conftest.Broker on that complete configuration."""
    return lambda conf_text: make_broker(conf_text=conf_text)


def start_fails(conf_text, d, timeout=10.0):
    """Starts a broker that must refuse to start; returns (exit code, stderr, stdout). A broker
    that is still running after `timeout` is killed and the test fails."""
    d = str(d)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "ternmq.conf")
    with open(path, "w") as f:
        f.write(conf_text)
    proc = subprocess.Popen([BIN, "--config", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=d,
                            text=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"ternmq kept running although it should have refused to start:\n{out}\n{err}")
    return proc.returncode, err, out


def wait_log(broker, text, timeout=5.0, after=0):
    """True once `text` (str or compiled regex) appears in the broker's log past offset `after`."""
    def found():
        log = broker.read_log()[after:]
        return text.search(log) if hasattr(text, "search") else text in log
    return bool(wait_for(found, timeout))


def write_atomic(path, text):
    """Replaces the file's contents at once (write a sibling, rename over it), so a broker that
    re-reads the file never sees it half written."""
    path = str(path)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def log_size(broker):
    return len(broker.read_log())


# ---------------------------------------------------------------------------------------------
# Raw clients with credentials, optionally over TLS
# ---------------------------------------------------------------------------------------------
class TlsRawClient(rawmqtt.RawClient):
    """rawmqtt.RawClient over TLS (the handshake happens in the constructor)."""

    def __init__(self, port, context, host="127.0.0.1", timeout=5.0):
        self.buf = b""
        raw = __import__("socket").create_connection((host, port), timeout=timeout)
        self.sock = context.wrap_socket(raw, server_hostname=host)

    def recv_packet(self, timeout=5.0):
        try:
            return super().recv_packet(timeout)
        except ssl.SSLError:
            return None

    def closed_by_server(self, timeout=5.0):
        try:
            return super().closed_by_server(timeout)
        except ssl.SSLError:
            return True


class AuthConn(clients.RawConn):
    """A RawConn whose CONNECT may carry a user name, password and will, over `raw_client` (for
    TLS) or a new TCP connection to `port`. A refused CONNECT leaves the code in `rc`."""

    def __init__(self, port, client_id="raw", version=4, username=None, password=None, will=None,
                 raw_client=None, clean=True, prop_bytes=b"", keep_alive=60):
        self.version = version
        self.client_id = client_id
        self.c = raw_client or rawmqtt.RawClient(port)
        self.pending = []
        self.c.send(rawmqtt.connect(client_id, version=version, clean=clean, keep_alive=keep_alive, props=prop_bytes,
                                    will=will, username=username, password=password))
        self.connack_at = None
        pkt = self.c.recv_packet()
        self.connack_at = time.time()
        self.session_present, self.rc, self.connack_props = clients.parse_connack(pkt, version)
        self._next_pid = 1


class Conns:
    """Factory for AuthConns of one test; all closed at teardown."""

    def __init__(self):
        self.made = []

    def __call__(self, port, client_id="raw", version=4, **kw):
        c = AuthConn(port, client_id, version, **kw)
        self.made.append(c)
        return c

    def refused(self, port, client_id="raw", version=4, **kw):
        """CONNECTs, asserts a refusal (non-zero code, then the server closes); returns the code."""
        c = self(port, client_id, version, **kw)
        assert c.rc != 0, f"CONNECT of {client_id} was accepted"
        assert c.session_present == 0  # 3.1.1:MQTT-3.2.2-4, 5.0:MQTT-3.2.2-6
        assert c.closed_by_server(), "server did not close the connection after refusing CONNECT"
        return c.rc

    def close_all(self):
        for c in self.made:
            c.close()


@pytest.fixture
def conns():
    cs = Conns()
    yield cs
    cs.close_all()
