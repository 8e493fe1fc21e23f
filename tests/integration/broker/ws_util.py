"""Helpers for the WebSocket and PROXY protocol tests (test_24, test_25).

- `AnyBroker` / the `any_broker` fixture: a ternmq with listeners of any transport (conftest's
  `Broker` reads only `listener tcp.` lines); ports are keyed "tcp.default", "ws.default", ...
- `JsClient` / the `js` fixture: one run of tests/integration/js/client.js (MQTT.js), whose JSON
  event lines are collected as they come.
- `WsRawClient`: a raw-bytes MQTT client over a minimal WebSocket client written here (RFC 6455
  framing, masking), so tests can send exactly the frames they want: text frames, MQTT packets
  split across frames, malformed packets. `http_exchange` sends a raw HTTP request.
- `make_pki`: a throw-away CA, server and client certificates made with openssl.
- `HAProxy`: Debian's /usr/sbin/haproxy on a config the test writes, run in the foreground (-db).

Everything started here is stopped at fixture teardown; every wait has a timeout.
"""
import base64
import hashlib
import json
import os
import re
import secrets
import signal
import socket
import struct
import subprocess
import threading
import time

import pytest

import rawmqtt
from conftest import BIN, ROOT, Broker

JS_DIR = os.path.join(ROOT, "tests", "integration", "js")
JS_CLIENT = os.path.join(JS_DIR, "client.js")
NODE = os.environ.get("TERNMQ_NODE", "node")
HAPROXY = "/usr/sbin/haproxy"



def generated(size, seed=0):
    """The bytes client.js makes for {"size": size, "seed": seed}: byte i = (i*31 + seed) & 0xff."""
    pattern = bytes((i * 31 + seed) & 0xFF for i in range(256))
    return (pattern * (size // 256 + 1))[:size]


def sha256(b):
    return hashlib.sha256(b).hexdigest()


# ---------------------------------------------------------------------------------------------
# Broker with listeners of every transport
# ---------------------------------------------------------------------------------------------
class AnyBroker(Broker):
    """conftest.Broker with a look-up of the peer address the broker logged for a client."""

    def connected_line(self, client_id, timeout=5.0):
        """The peer `ip:port` the broker logged for `client_id`'s CONNECT (debug level), or None."""
        pat = re.compile(r"client '" + re.escape(client_id) + r"' \((\S+)\): connected, protocol level \d")
        found = []

        def look():
            m = pat.search(self.read_log())
            if m:
                found.append(m.group(1))
            return bool(m)

        deadline = time.time() + timeout
        while not look() and time.time() < deadline:
            time.sleep(0.01)
        return found[0] if found else None


@pytest.fixture
def any_broker(make_broker):
    """Factory: any_broker(conf_text) -> AnyBroker. Lines for allow_anonymous and debug logging
    are added unless the text sets them."""

    def make(conf_text):
        if "allow_anonymous" not in conf_text:
            conf_text += "\nallow_anonymous = on"
        if "log.console.level" not in conf_text:
            conf_text += "\nlog.console.level = debug"
        return make_broker(conf_text=conf_text + "\n", cls=AnyBroker)

    return make


# ---------------------------------------------------------------------------------------------
# MQTT.js
# ---------------------------------------------------------------------------------------------
def require_mqttjs():
    if not os.path.isdir(os.path.join(JS_DIR, "node_modules", "mqtt")):
        pytest.fail(f"MQTT.js is not installed in {JS_DIR}: run scripts/setup.sh (npm ci there)")


class JsClient:
    """`node client.js URL PLAN`, events collected from its stdout (see client.js)."""

    def __init__(self, url, plan):
        self.url, self.plan = url, plan
        self.events = []
        self.cond = threading.Condition()
        self.stderr = ""
        self.proc = subprocess.Popen([NODE, JS_CLIENT, url, json.dumps(plan)], cwd=JS_DIR, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.readers = [threading.Thread(target=self._read_out, daemon=True),
                        threading.Thread(target=self._read_err, daemon=True)]
        for t in self.readers:
            t.start()

    def _read_out(self):
        for line in self.proc.stdout:
            try:
                ev = json.loads(line)
            except ValueError:
                ev = {"event": "unparsed", "line": line}
            with self.cond:
                self.events.append(ev)
                self.cond.notify_all()

    def _read_err(self):
        self.stderr = self.proc.stderr.read()

    def of(self, kind):
        with self.cond:
            return [e for e in self.events if e.get("event") == kind]

    def wait_event(self, kind, count=1, timeout=10.0):
        """The first `count` events of `kind`; fails the test if they do not come in time."""
        with self.cond:
            ok = self.cond.wait_for(lambda: len([e for e in self.events if e.get("event") == kind]) >= count
                                    or (self.proc.poll() is not None and not self.readers[0].is_alive()), timeout)
        got = self.of(kind)
        assert ok and len(got) >= count, f"MQTT.js: no {count} x {kind!r} event: {self.describe()}"
        return got[:count]

    def finish(self, timeout=15.0):
        """Waits for the process to end; returns its exit code (0 = every step done)."""
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"MQTT.js run did not end in {timeout} s: {self.describe()}")
        for t in self.readers:
            t.join(5)
        return rc

    def run_ok(self, timeout=15.0):
        rc = self.finish(timeout)
        assert rc == 0, f"MQTT.js run failed (exit {rc}): {self.describe()}"
        return self

    def messages(self):
        return self.of("message")

    def describe(self):
        with self.cond:
            evs = list(self.events)
        return f"url={self.url} events={evs} stderr={self.stderr[-2000:]!r}"

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for t in self.readers:
            t.join(5)


@pytest.fixture
def js():
    """Factory: js(url, plan) -> JsClient (started); killed at teardown if still running."""
    require_mqttjs()
    made = []

    def start(url, plan):
        c = JsClient(url, plan)
        made.append(c)
        return c

    yield start
    for c in made:
        c.kill()


# ---------------------------------------------------------------------------------------------
# Raw HTTP and WebSocket
# ---------------------------------------------------------------------------------------------
def connect_socket(port, host="127.0.0.1", source=None, timeout=5.0):
    """A TCP connection, from the `source` address (e.g. "127.0.0.2") when given."""
    return socket.create_connection((host, port), timeout=timeout,
                                    source_address=(source, 0) if source else None)


def upgrade_request(path="/mqtt", subprotocols="mqtt", host="127.0.0.1", key=None, upgrade=True):
    key = key or base64.b64encode(secrets.token_bytes(16)).decode()
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}"]
    if upgrade:
        lines += ["Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
    if subprotocols is not None:
        lines.append(f"Sec-WebSocket-Protocol: {subprotocols}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode(), key


def read_http_head(sock, timeout=5.0):
    """Reads up to the end of an HTTP response head; returns (status code, headers with lower-case
    names, bytes after the head). Status None when the server closed without answering."""
    sock.settimeout(timeout)
    buf = b""
    while b"\r\n\r\n" not in buf:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, socket.timeout):
            chunk = b""
        if not chunk:
            return None, {}, buf
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, rest


def http_exchange(port, request, timeout=5.0):
    """Sends `request` bytes on a fresh connection; returns (status, headers, closed), where
    `closed` tells whether the server closed the connection after its answer (within 2 s)."""
    with connect_socket(port, timeout=timeout) as s:
        s.sendall(request)
        status, headers, rest = read_http_head(s, timeout)
        closed = status is None
        if not closed:
            length = int(headers.get("content-length", "0"))
            s.settimeout(2.0)
            try:
                while len(rest) < length:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    rest += chunk
                closed = s.recv(1) == b""
            except (socket.timeout, ConnectionResetError):
                closed = False
        return status, headers, closed


def accept_key(key):
    return base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()


OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


def ws_frame(opcode, payload, fin=True, mask=True):
    """One client-to-server WebSocket frame (masked, as RFC 6455 requires of a client)."""
    head = bytearray([(0x80 if fin else 0) | opcode])
    n = len(payload)
    mbit = 0x80 if mask else 0
    if n < 126:
        head.append(mbit | n)
    elif n < 65536:
        head.append(mbit | 126)
        head += struct.pack("!H", n)
    else:
        head.append(mbit | 127)
        head += struct.pack("!Q", n)
    if not mask:
        return bytes(head) + payload
    key = secrets.token_bytes(4)
    masked = bytes(b ^ key[i & 3] for i, b in enumerate(payload))
    return bytes(head) + key + masked


class WsRawClient(rawmqtt.RawClient):
    """rawmqtt.RawClient over WebSocket: `send` sends one binary frame; `recv_packet` reassembles
    MQTT packets from whatever frames arrive. `frame_opcodes` records (opcode, masked) of every
    data frame the server sent, `pongs` the payloads of its pongs. `sock` may be pre-connected
    (e.g. from a chosen source address); `prefix` is sent just before the upgrade request.
    Raises ConnectionError when the upgrade is not answered with 101."""

    def __init__(self, port, host="127.0.0.1", path="/mqtt", subprotocols="mqtt", source=None, sock=None,
                 timeout=5.0, prefix=b""):
        self.sock = sock or connect_socket(port, host, source, timeout)
        self.buf = b""
        self.frame_buf = b""
        self.frame_opcodes = []
        self.pongs = []
        self.close_frame = None
        req, key = upgrade_request(path, subprotocols, host)
        self.sock.sendall(prefix + req)  # prefix: e.g. a PROXY header, in the same write
        self.status, self.headers, self.frame_buf = read_http_head(self.sock, timeout)
        if self.status != 101:
            self.sock.close()
            raise ConnectionError(f"WebSocket upgrade refused: HTTP {self.status} {self.headers}")
        assert self.headers.get("sec-websocket-accept") == accept_key(key), self.headers

    def send(self, data):
        self.sock.sendall(ws_frame(OP_BINARY, data))

    def send_frame(self, opcode, payload, fin=True):
        self.sock.sendall(ws_frame(opcode, payload, fin))

    def _frame(self):
        """Parses one whole server frame from frame_buf: (fin, opcode, payload) or None."""
        b = self.frame_buf
        if len(b) < 2:
            return None
        fin, opcode, masked, n = b[0] & 0x80, b[0] & 0x0F, b[1] & 0x80, b[1] & 0x7F
        i = 2
        if n == 126:
            if len(b) < 4:
                return None
            n, i = struct.unpack("!H", b[2:4])[0], 4
        elif n == 127:
            if len(b) < 10:
                return None
            n, i = struct.unpack("!Q", b[2:10])[0], 10
        key = b""
        if masked:  # a server must not mask (RFC 6455 5.1); decode anyway and let tests look
            key, i = b[i:i + 4], i + 4
        if len(b) < i + n:
            return None
        payload = b[i:i + n]
        if masked:
            payload = bytes(c ^ key[j & 3] for j, c in enumerate(payload))
        self.frame_buf = b[i + n:]
        return bool(fin), opcode, payload, bool(masked)

    def recv_packet(self, timeout=5.0):
        """The next MQTT packet, or None when the server closed (close frame or TCP close)."""
        deadline = time.time() + timeout
        while True:
            p = self._parse()
            if p is not None:
                return p
            if self.close_frame is not None:
                return None
            f = self._frame()
            if f is not None:
                fin, opcode, payload, masked = f
                if opcode == OP_CLOSE:
                    self.close_frame = payload
                    return None
                if opcode == OP_PONG:
                    self.pongs.append(payload)
                    continue
                if opcode == OP_PING:
                    continue
                self.frame_opcodes.append((opcode, masked))
                self.buf += payload
                continue
            remaining = deadline - time.time()
            if remaining <= 0:
                raise TimeoutError("no packet from server")
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                return None
            except socket.timeout:
                raise TimeoutError("no packet from server")
            if not chunk:
                return None
            self.frame_buf += chunk


# ---------------------------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------------------------
def _openssl(*args, cwd):
    r = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, f"openssl {' '.join(args)} failed: {r.stderr}"


def _ca(d, name, cn):
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2", "-subj", f"/CN={cn}",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
             cwd=d)


def _leaf(d, name, cn, ca, ext):
    with open(os.path.join(d, f"{name}.ext"), "w") as f:
        f.write(ext + "\n")
    _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={cn}", cwd=d)
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key", "-set_serial",
             str(secrets.randbits(63)), "-days", "2", "-out", f"{name}.pem", "-extfile", f"{name}.ext", cwd=d)
    # key and certificate in one file, as HAProxy's `crt` wants
    with open(os.path.join(d, f"{name}-full.pem"), "w") as out:
        for part in (f"{name}.pem", f"{name}.key"):
            with open(os.path.join(d, part)) as f:
                out.write(f.read())


class Pki:
    """Files make_pki wrote: the CA; a server certificate (localhost, 127.0.0.1, ::1), also as
    key+certificate in one file for HAProxy; a client certificate with CN `client_cn`; and a
    `rogue` client certificate with the same CN, signed by another CA that nobody trusts."""

    def __init__(self, d, client_cn):
        self.dir = d
        self.client_cn = client_cn
        p = lambda name: os.path.join(d, name)  # noqa: E731
        self.ca_pem = p("ca.pem")
        self.server_pem, self.server_key, self.server_full = p("server.pem"), p("server.key"), p("server-full.pem")
        self.client_pem, self.client_key = p("client.pem"), p("client.key")
        self.rogue_pem, self.rogue_key = p("rogue.pem"), p("rogue.key")


def make_pki(d, client_cn="device-42"):
    d = str(d)
    _ca(d, "ca", "TernMQ test CA")
    _ca(d, "rogueca", "Rogue CA")
    _leaf(d, "server", "localhost", "ca",
          "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth")
    _leaf(d, "client", client_cn, "ca", "extendedKeyUsage=clientAuth")
    _leaf(d, "rogue", client_cn, "rogueca", "extendedKeyUsage=clientAuth")
    return Pki(d, client_cn)


# ---------------------------------------------------------------------------------------------
# Ports and HAProxy
# ---------------------------------------------------------------------------------------------
def free_port(host="127.0.0.1"):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(fam, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def listening_ports(pid=None):
    """Ports in LISTEN state on this host (IPv4 and IPv6), from /proc/net; with `pid`, only those
    of sockets that process holds (so a port someone else listens on does not count)."""
    inodes = None
    if pid is not None:
        inodes = set()
        fd_dir = f"/proc/{pid}/fd"
        try:
            for fd in os.listdir(fd_dir):
                try:
                    link = os.readlink(os.path.join(fd_dir, fd))
                except OSError:
                    continue
                if link.startswith("socket:["):
                    inodes.add(link[8:-1])
        except OSError:
            return set()
    ports = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts[3] == "0A" and (inodes is None or parts[9] in inodes):
                        ports.add(int(parts[1].rsplit(":", 1)[1], 16))
        except FileNotFoundError:
            pass
    return ports


def ipv6_loopback():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


HAPROXY_HEAD = """global
    maxconn 256
defaults
    mode tcp
    timeout connect 3s
    timeout client 30s
    timeout server 30s
"""


class HAProxy:
    """haproxy -f CFG -db with the given frontends/backends text (HAPROXY_HEAD is prepended);
    waits until every port in `ports` listens."""

    def __init__(self, d, body, ports):
        self.dir = str(d)
        self.cfg = os.path.join(self.dir, "haproxy.cfg")
        with open(self.cfg, "w") as f:
            f.write(HAPROXY_HEAD + body)
        self.log_path = os.path.join(self.dir, "haproxy.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([HAPROXY, "-f", self.cfg, "-db"], stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, cwd=self.dir)
        deadline = time.time() + 10
        while not set(ports) <= listening_ports(self.proc.pid):
            if self.proc.poll() is not None:
                log = self.read_log()
                self.log.close()
                if "cannot bind socket" in log:
                    raise PortTaken(log)
                raise RuntimeError(f"haproxy exited ({self.proc.returncode}): {log}")
            if time.time() > deadline:
                self.stop()
                raise RuntimeError(f"haproxy did not listen on {ports}: {self.read_log()}")
            time.sleep(0.02)

    def read_log(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


class PortTaken(RuntimeError):
    pass


@pytest.fixture
def haproxy(tmp_path):
    """Factory: haproxy(make) -> (HAProxy, extra), where make() picks free ports and returns
    (config body, ports to wait for, extra). Another process may take a port between free_port()
    and HAProxy's bind: then make() is called again (3 tries). Stopped at teardown."""
    if not os.access(HAPROXY, os.X_OK):
        pytest.fail(f"{HAPROXY} is missing: run scripts/setup.sh")
    started = []

    def start(make):
        for attempt in range(3):
            body, ports, extra = make()
            d = tmp_path / f"haproxy{len(started)}-{attempt}"
            d.mkdir()
            try:
                h = HAProxy(d, body, ports)
            except PortTaken:
                continue
            started.append(h)
            return h, extra
        raise RuntimeError("haproxy could not bind its ports in 3 tries")

    yield start
    for h in started:
        h.stop()



# ---------------------------------------------------------------------------------------------
# Raw MQTT on a socket the test made (source address, TLS, through a proxy)
# ---------------------------------------------------------------------------------------------
def proxy_v1(src, dst, sport, dport):
    fam = "TCP6" if ":" in src else "TCP4"
    return f"PROXY {fam} {src} {dst} {sport} {dport}\r\n".encode()


PROXY_V2_SIG = b"\r\n\r\n\x00\r\nQUIT\n"


def proxy_v2(src=None, dst=None, sport=0, dport=0, tlvs=b""):
    """A PROXY v2 header: PROXY command over TCP/IPv4 or IPv6, or the LOCAL command when `src`
    is None."""
    if src is None:
        return PROXY_V2_SIG + b"\x20\x00" + struct.pack("!H", len(tlvs)) + tlvs
    fam = socket.AF_INET6 if ":" in src else socket.AF_INET
    addrs = socket.inet_pton(fam, src) + socket.inet_pton(fam, dst) + struct.pack("!HH", sport, dport)
    body = addrs + tlvs
    return PROXY_V2_SIG + b"\x21" + (b"\x21" if fam == socket.AF_INET6 else b"\x11") + struct.pack("!H", len(body)) + body


def raw_over(sock):
    """A rawmqtt.RawClient on an already connected socket (plain or TLS)."""
    c = rawmqtt.RawClient.__new__(rawmqtt.RawClient)
    c.sock, c.buf = sock, b""
    return c


def raw_conn_on(raw, client_id, version=4, username=None, password=None):
    """clients.RawConn on an existing raw client: sends CONNECT, reads CONNACK (`rc`)."""
    import clients
    conn = clients.RawConn.__new__(clients.RawConn)
    conn.version, conn.client_id, conn.c, conn.pending, conn._next_pid = version, client_id, raw, [], 1
    raw.send(rawmqtt.connect(client_id, version=version, username=username, password=password))
    pkt = raw.recv_packet()
    assert pkt is not None, f"{client_id}: connection closed without CONNACK"
    conn.connack_at = time.time()
    conn.session_present, conn.rc, conn.connack_props = clients.parse_connack(pkt, version)
    return conn
