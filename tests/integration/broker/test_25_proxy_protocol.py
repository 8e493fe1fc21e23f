"""25: PROXY protocol (v1 and v2) on tcp and ws listeners, behind a real HAProxy.

Each test writes a haproxy.cfg (mode tcp) whose frontends listen on free loopback ports and whose
backends reach the broker's `proxy_protocol = on` listeners with `send-proxy` (v1),
`send-proxy-v2`, or `send-proxy-v2-ssl-cn` (TLS terminated by HAProxy, the client certificate's CN
passed in the v2 SSL TLV), and runs Debian's /usr/sbin/haproxy in the foreground. Clients connect
from 127.0.0.2 (or ::1) so the address the broker logs is unmistakably the client's, not HAProxy's
(127.0.0.1). None of this is in the MQTT specification: no normative statement (VerneMQ feature)
unless a docstring names one.
"""
import socket
import ssl
import subprocess

import pytest

import rawmqtt
from clients import MosqSub, clients_fixture  # noqa: F401  (the `clients` fixture)
from ws_util import (WsRawClient, any_broker, connect_socket, free_port, haproxy, ipv6_loopback,  # noqa: F401
                     js, make_pki, proxy_v1, proxy_v2, raw_conn_on, raw_over, read_http_head, upgrade_request)

CLIENT_IP = "127.0.0.2"
CN = "device-42"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"), client_cn=CN)


# ---------------------------------------------------------------------------------------------
# Anonymous broker: tcp and ws listeners with proxy_protocol, HAProxy with v1 and v2 frontends
# ---------------------------------------------------------------------------------------------
class Proxied:
    def __init__(self, broker, proxy, fronts):
        self.broker, self.proxy, self.fronts = broker, proxy, fronts


@pytest.fixture
def proxied(any_broker, haproxy):
    b = any_broker("""listener.tcp.default = 127.0.0.1:0
listener.tcp.proxied = 127.0.0.1:0
listener.tcp.proxied.proxy_protocol = on
listener.ws.proxied = 127.0.0.1:0
listener.ws.proxied.proxy_protocol = on
""")
    tcp, ws = b.ports["tcp.proxied"], b.ports["ws.proxied"]
    v6 = ipv6_loopback()
    backend_of = {"v1": (tcp, "send-proxy"), "v2": (tcp, "send-proxy-v2"), "ws_v1": (ws, "send-proxy"),
                  "ws_v2": (ws, "send-proxy-v2"), "v1_ipv6": (tcp, "send-proxy"), "v2_ipv6": (tcp, "send-proxy-v2")}

    def make():
        fronts = {"v1": ("127.0.0.1", free_port()), "v2": ("127.0.0.1", free_port()),
                  "ws_v1": ("127.0.0.1", free_port()), "ws_v2": ("127.0.0.1", free_port())}
        if v6:
            fronts.update({"v1_ipv6": ("::1", free_port("::1")), "v2_ipv6": ("::1", free_port("::1"))})
        body = ""
        for name, (host, port) in fronts.items():
            target, how = backend_of[name]
            bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            body += (f"frontend fe_{name}\n    bind {bind}\n    default_backend be_{name}\n"
                     f"backend be_{name}\n    server broker 127.0.0.1:{target} {how}\n")
        return body, [p for _, p in fronts.values()], fronts

    h, fronts = haproxy(make)
    return Proxied(b, h, fronts)


@pytest.mark.parametrize("front", ["v1", "v2", "v1_ipv6", "v2_ipv6"])
def test_broker_sees_real_client_address_and_messages_flow(proxied, clients, front):
    """Through HAProxy (send-proxy / send-proxy-v2, IPv4 from 127.0.0.2 or IPv6 from ::1), the
    broker logs the client's own address and port (its socket's local port), not HAProxy's
    outgoing connection from 127.0.0.1; messages flow both ways between the proxied client and a
    client on a plain tcp listener."""
    if front not in proxied.fronts:
        pytest.fail("IPv6 loopback unavailable on this machine")
    host, port = proxied.fronts[front]
    source = "::1" if front.endswith("ipv6") else CLIENT_IP
    sock = connect_socket(port, host, source=source)
    cid = f"pp-{front}"
    conn = raw_conn_on(raw_over(sock), cid)
    clients.made.append(conn)
    assert conn.rc == 0
    local_port = sock.getsockname()[1]
    expected = f"[::1]:{local_port}" if source == "::1" else f"{CLIENT_IP}:{local_port}"
    assert proxied.broker.connected_line(cid) == expected, proxied.broker.read_log()[-2000:]

    plain = clients.paho(proxied.broker, f"plain-{front}")
    plain.subscribe("pp/out", qos=1)
    conn.subscribe(("pp/in", 1))
    plain.publish("pp/in", b"to-proxied", qos=1)
    pub = conn.expect_publish()
    assert (pub.topic, pub.payload, pub.qos) == ("pp/in", b"to-proxied", 1)
    conn.ack(pub)
    assert conn.publish("pp/out", b"from-proxied", qos=1) == 0
    got = plain.wait_messages(1)
    assert [(m.topic, m.payload) for m in got] == [("pp/out", b"from-proxied")]


BAD_HEADERS = {
    "no_header_connect": rawmqtt.connect("direct"),
    "v1_garbage": b"PROXY TCP4 not-an-address 127.0.0.1 1 2\r\n" + rawmqtt.connect("direct"),
    "v1_unknown_family": b"PROXY TCP9 127.0.0.1 127.0.0.1 1 2\r\n" + rawmqtt.connect("direct"),
    "v2_bad_version": b"\r\n\r\n\x00\r\nQUIT\n" + b"\x31\x11\x00\x0c" + bytes(12) + rawmqtt.connect("direct"),
    "http_get": b"GET /mqtt HTTP/1.1\r\nHost: x\r\n\r\n",
}


@pytest.mark.parametrize("case", list(BAD_HEADERS))
def test_direct_connection_without_valid_header_is_dropped(proxied, case):
    """A connection straight to the tcp proxy listener without a valid PROXY header (MQTT CONNECT
    first, a malformed v1 line, a v2 header with version 3, HTTP) is closed without CONNACK, and
    the listener keeps serving connections through HAProxy."""
    c = rawmqtt.RawClient(proxied.broker.ports["tcp.proxied"])
    c.send(BAD_HEADERS[case])
    closed, packets = rawmqtt.read_until_closed(c, timeout=3.0)
    c.close()
    assert closed and not packets, f"closed={closed} packets={packets}"
    host, port = proxied.fronts["v1"]
    ok = raw_conn_on(raw_over(connect_socket(port, host, source=CLIENT_IP)), f"after-{case}")
    assert ok.rc == 0
    ok.close()


def test_direct_websocket_without_header_is_dropped(proxied):
    """A WebSocket upgrade straight to the ws proxy listener (no PROXY header) gets no HTTP answer:
    the connection is closed."""
    with connect_socket(proxied.broker.ports["ws.proxied"]) as s:
        s.sendall(upgrade_request("/mqtt")[0])
        status, headers, rest = read_http_head(s, timeout=3.0)
    assert status is None and rest == b"", (status, headers, rest)


@pytest.mark.parametrize("front", ["ws_v1", "ws_v2"])
def test_mqttjs_over_ws_listener_behind_haproxy(proxied, js, clients, front):
    """MQTT.js over WebSocket through HAProxy (PROXY v1 / v2 before the HTTP upgrade): connects,
    subscribes, publishes QoS 1 to itself and to a tcp client; the broker logs the MQTT.js
    socket's own address (127.0.0.2) and port. 3.1.1:MQTT-6.0.0-4 5.0:MQTT-6.0.0-4"""
    host, port = proxied.fronts[front]
    plain = clients.paho(proxied.broker, f"plain-{front}")
    plain.subscribe("wsp/#", qos=1)
    cid = f"jsp-{front}"
    a = js(f"ws://{host}:{port}/mqtt", {
        "options": {"clientId": cid, "protocolVersion": 5}, "localAddress": CLIENT_IP,
        "steps": [{"subscribe": [["wsp/#", 1]]}, {"publish": {"topic": "wsp/x", "qos": 1, "text": "via-haproxy"}},
                  {"wait_messages": 1}, {"end": True}]}).run_ok()
    connect = a.of("connect")[0]
    assert connect["subprotocol"] == "mqtt" and connect["localAddress"] == CLIENT_IP
    assert proxied.broker.connected_line(cid) == f"{CLIENT_IP}:{connect['localPort']}"
    assert [(m["topic"], m["qos"], m["text"]) for m in a.messages()] == [("wsp/x", 1, "via-haproxy")]
    got = plain.wait_messages(1)
    assert [(m.topic, m.payload) for m in got] == [("wsp/x", b"via-haproxy")]


def test_raw_websocket_behind_haproxy_reports_client_port(proxied):
    """A raw WebSocket client through HAProxy (v2) gets its upgrade and CONNACK; the broker logs
    the client's 127.0.0.2:port."""
    host, port = proxied.fronts["ws_v2"]
    sock = connect_socket(port, host, source=CLIENT_IP)
    c = WsRawClient(port, host, sock=sock)
    c.send(rawmqtt.connect("rawws-pp"))
    p = c.recv_packet()
    assert p.type == 2 and p.body == b"\x00\x00"
    assert proxied.broker.connected_line("rawws-pp") == f"{CLIENT_IP}:{sock.getsockname()[1]}"
    c.close()


# ---------------------------------------------------------------------------------------------
# Headers written by the test itself (no HAProxy): framing corner cases
# ---------------------------------------------------------------------------------------------
DIRECT_HEADERS = {
    # id: (header, address the broker must log; None = the socket's real peer)
    "v1_with_connect_in_one_write": (proxy_v1("192.0.2.10", "127.0.0.1", 40001, 1883), "192.0.2.10:40001"),
    "v1_tcp6": (proxy_v1("2001:db8::7", "::1", 40002, 1883), "[2001:db8::7]:40002"),
    "v2_inet": (proxy_v2("192.0.2.11", "127.0.0.1", 40003, 1883), "192.0.2.11:40003"),
    "v2_inet6": (proxy_v2("2001:db8::8", "::1", 40004, 1883), "[2001:db8::8]:40004"),
    "v1_unknown": (b"PROXY UNKNOWN\r\n", None),
    "v2_local": (proxy_v2(), None),
}


@pytest.mark.parametrize("bytewise", [False, True], ids=["one_write", "byte_by_byte"])
@pytest.mark.parametrize("case", list(DIRECT_HEADERS))
def test_header_framing_and_address(proxied, case, bytewise):
    """A PROXY header followed by CONNECT, sent in one write or one byte at a time, is read
    exactly: the CONNECT after it is answered and the broker logs the header's source address
    (a v1 UNKNOWN line and a v2 LOCAL command keep the socket's own peer). Addresses are only
    text inside the header; nothing is sent to them."""
    header, expected = DIRECT_HEADERS[case]
    cid = f"hdr-{case[:8]}-{int(bytewise)}"
    data = header + rawmqtt.connect(cid)
    sock = connect_socket(proxied.broker.ports["tcp.proxied"])
    if bytewise:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(len(data)):
            sock.sendall(data[i:i + 1])
    else:
        sock.sendall(data)
    own = f"127.0.0.1:{sock.getsockname()[1]}"
    c = raw_over(sock)
    p = c.recv_packet()
    c.close()
    assert p is not None and p.type == 2 and p.body == b"\x00\x00", p
    if expected is None:
        expected = own
    assert proxied.broker.connected_line(cid) == expected


def test_ws_header_and_upgrade_in_one_write(proxied):
    """On the ws proxy listener, a v2 header and the HTTP upgrade in one write: the upgrade is
    answered (subprotocol mqtt), MQTT flows, and the header's address is logged.
    3.1.1:MQTT-6.0.0-4 5.0:MQTT-6.0.0-4"""
    c = WsRawClient(proxied.broker.ports["ws.proxied"], prefix=proxy_v2("192.0.2.12", "127.0.0.1", 40005, 8080))
    assert c.headers.get("sec-websocket-protocol") == "mqtt"
    c.send(rawmqtt.connect("ws-direct-hdr"))
    p = c.recv_packet()
    c.close()
    assert p.type == 2 and p.body == b"\x00\x00"
    assert proxied.broker.connected_line("ws-direct-hdr") == "192.0.2.12:40005"


# ---------------------------------------------------------------------------------------------
# TLS at HAProxy, client certificate CN as the MQTT user name
# ---------------------------------------------------------------------------------------------
class CnSetup:
    def __init__(self, broker, proxy, fronts):
        self.broker, self.proxy, self.fronts = broker, proxy, fronts


def start_cn_setup(any_broker, haproxy, pki, tmp_path, use_cn=True):
    """allow_anonymous off, no password file, an ACL granting `user <CN>` devices/<CN>/#; HAProxy
    frontends: TLS with `verify required`, TLS with `verify optional` letting bad certificates
    through, plain; the TLS ones pass the CN with send-proxy-v2-ssl-cn."""
    acl = tmp_path / "vmq.acl"
    acl.write_text(f"user {CN}\ntopic devices/{CN}/#\n")
    b = any_broker(f"""listener.tcp.proxied = 127.0.0.1:0
listener.tcp.proxied.proxy_protocol = on
listener.tcp.proxied.proxy_protocol_use_cn_as_username = {'on' if use_cn else 'off'}
allow_anonymous = off
vmq_acl.acl_file = {acl}
""")
    target = b.ports["tcp.proxied"]
    crt = f"ssl crt {pki.server_full} ca-file {pki.ca_pem}"

    def make():
        fronts = {"tls": free_port(), "tls_optional": free_port(), "plain": free_port()}
        body = f"""frontend fe_tls
    bind 127.0.0.1:{fronts['tls']} {crt} verify required
    default_backend be_cn
frontend fe_tls_optional
    bind 127.0.0.1:{fronts['tls_optional']} {crt} verify optional crt-ignore-err all ca-ignore-err all
    default_backend be_cn
frontend fe_plain
    bind 127.0.0.1:{fronts['plain']}
    default_backend be_plain
backend be_cn
    server broker 127.0.0.1:{target} send-proxy-v2-ssl-cn
backend be_plain
    server broker 127.0.0.1:{target} send-proxy-v2
"""
        return body, list(fronts.values()), fronts

    h, fronts = haproxy(make)
    return CnSetup(b, h, fronts)


@pytest.fixture
def cn_setup(any_broker, haproxy, pki, tmp_path):
    return start_cn_setup(any_broker, haproxy, pki, tmp_path)


def mosq_tls_args(pki, cert="client"):
    args = ["--cafile", pki.ca_pem]
    if cert:
        args += ["--cert", getattr(pki, f"{cert}_pem"), "--key", getattr(pki, f"{cert}_key")]
    return args


def mosq_pub_tls(port, pki, topic, message, cert="client", extra=()):
    return subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port), "-V", "mqttv311", "-q", "1",
                           "-t", topic, "-m", message, *mosq_tls_args(pki, cert), *extra],
                          capture_output=True, text=True, timeout=15)


def test_cn_becomes_username_and_authenticates(cn_setup, clients, pki):
    """HAProxy terminates TLS and verifies the client certificate; with
    proxy_protocol_use_cn_as_username the CN it passes becomes the user name and counts as
    authentication (allow_anonymous off, no password file): mosquitto_sub and mosquitto_pub
    presenting the certificate subscribe and publish on the topic the ACL grants to `user <CN>`,
    even when they send another user name (-u mallory), and a filter outside the grant is
    refused in SUBACK (the ACL sees the CN as the user)."""
    port = cn_setup.fronts["tls"]
    sub = MosqSub(port, [f"devices/{CN}/#"], qos=1, count=1, timeout=10, client_id="cn-sub",
                  extra=mosq_tls_args(pki))
    clients.made.append(sub)
    sub.wait_subscribed()
    assert any(line.startswith("Subscribed (mid: 1): 1") for line in sub.lines), sub.lines
    r = mosq_pub_tls(port, pki, f"devices/{CN}/temp", "21.5", extra=["-u", "mallory", "-P", "x", "-i", "cn-pub"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert sub.wait_exit(10) == 0
    assert [(m.topic, m.payload, m.qos) for m in sub.messages] == [(f"devices/{CN}/temp", b"21.5", 1)]
    assert cn_setup.broker.connected_line("cn-pub") is not None

    other = MosqSub(port, ["devices/other/#"], qos=1, count=1, timeout=2, client_id="cn-other",
                    extra=mosq_tls_args(pki))
    clients.made.append(other)
    other.wait_subscribed()
    assert any(line.startswith("Subscribed (mid: 1): 128") for line in other.lines), other.lines
    other.kill()


def test_client_without_certificate_refused_by_haproxy(cn_setup, pki):
    """A TLS client presenting no certificate is refused by HAProxy (`verify required`): the TLS
    connection fails, no CONNACK, and the broker never sees a connection."""
    port = cn_setup.fronts["tls"]
    r = mosq_pub_tls(port, pki, f"devices/{CN}/x", "nocert", cert=None, extra=["-i", "nocert"])
    assert r.returncode != 0, r.stdout + r.stderr
    assert "CONNACK" not in r.stdout + r.stderr

    ctx = ssl.create_default_context(cafile=pki.ca_pem)
    got = None
    try:
        with ctx.wrap_socket(connect_socket(port), server_hostname="127.0.0.1") as s:
            s.sendall(rawmqtt.connect("nocert-raw"))
            s.settimeout(3)
            got = s.recv(16)
    except (ssl.SSLError, ConnectionResetError, BrokenPipeError):
        got = b""
    assert got == b"", got
    log = cn_setup.broker.read_log()
    assert "nocert" not in log and "connection dropped" not in log, log[-2000:]


def test_username_equal_to_cn_without_certificate_is_refused(cn_setup):
    """Through a plain (no TLS) send-proxy-v2 frontend, a client that merely sends the CN as its
    user name is not authenticated: CONNACK 5 (not authorized), because only a certificate the
    proxy verified counts. 3.1.1:MQTT-3.2.2-5"""
    conn = raw_conn_on(raw_over(connect_socket(cn_setup.fronts["plain"], source=CLIENT_IP)), "impostor",
                       username=CN)
    assert conn.rc == 5
    assert conn.closed_by_server(2.0)
    conn.close()


def test_unverified_certificate_cn_is_not_trusted(cn_setup, pki):
    """HAProxy configured to let unverified certificates through (`verify optional` with
    `crt-ignore-err all ca-ignore-err all`) passes the CN with a failed verify result; the broker
    must not take it as an identity: a certificate from an untrusted CA with the granted CN gets
    CONNACK 5, and so does a TLS client with no certificate (HAProxy's SSL TLV then says verify 0
    without a certificate), while the genuine certificate through the same frontend is accepted."""
    port = cn_setup.fronts["tls_optional"]
    results = {}
    for cert in ("client", "rogue", None):
        ctx = ssl.create_default_context(cafile=pki.ca_pem)
        if cert:
            ctx.load_cert_chain(getattr(pki, f"{cert}_pem"), getattr(pki, f"{cert}_key"))
        s = ctx.wrap_socket(connect_socket(port), server_hostname="127.0.0.1")
        conn = raw_conn_on(raw_over(s), f"opt-{cert}")
        results[cert] = conn.rc
        conn.close()
    assert results == {"client": 0, "rogue": 5, None: 5}


def test_cn_ignored_when_use_cn_as_username_off(any_broker, haproxy, pki, tmp_path):
    """With proxy_protocol on but proxy_protocol_use_cn_as_username off (TernMQ's default), the CN
    HAProxy passes is no identity: the same verified certificate gets CONNACK 5 (not authorized)
    with allow_anonymous off."""
    setup = start_cn_setup(any_broker, haproxy, pki, tmp_path, use_cn=False)
    ctx = ssl.create_default_context(cafile=pki.ca_pem)
    ctx.load_cert_chain(pki.client_pem, pki.client_key)
    s = ctx.wrap_socket(connect_socket(setup.fronts["tls"]), server_hostname="127.0.0.1")
    conn = raw_conn_on(raw_over(s), "cn-off")
    conn.close()
    assert conn.rc == 5
