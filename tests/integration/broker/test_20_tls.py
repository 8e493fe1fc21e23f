"""20: TLS listeners (`listener.ssl.<name>`), client certificates, CRLs, TLS versions and
`use_identity_as_username`, driven by mosquitto_pub/mosquitto_sub, paho-mqtt, `openssl s_client`
and Python's ssl module. The PKI is made with the openssl CLI once per module (tls_util)."""
import os
import ssl
import subprocess
import threading

import paho.mqtt.client as mqtt
import pytest

import clients
import rawmqtt
import tls_util
from broker_util import TlsRawClient, conf_broker, conns, start_fails  # noqa: F401 (fixtures)
from clients import MosqSub, mosq_pub
from conftest import wait_for


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return tls_util.make_pki(str(tmp_path_factory.mktemp("pki")))


def tls_conf(pki, extra="", anonymous=True, **settings):
    """A plain tcp listener `default` plus the ssl listener `tls` with the server certificate and
    `listener.ssl.tls.<key> = <value>` for each keyword argument."""
    lines = ["listener.tcp.default = 127.0.0.1:0",
             "listener.ssl.tls = 127.0.0.1:0",
             f"listener.ssl.tls.certfile = {pki.server_pem}",
             f"listener.ssl.tls.keyfile = {pki.server_key}",
             f"allow_anonymous = {'on' if anonymous else 'off'}",
             "log.console.level = debug"]
    lines += [f"listener.ssl.tls.{k} = {v}" for k, v in settings.items()]
    return "\n".join(lines) + "\n" + extra + "\n"


def client_cert_conf(pki, **more):
    return tls_conf(pki, cafile=pki.ca_pem, require_certificate="on", **more)


def cert_args(pki, name=None):
    """mosquitto_* TLS arguments: the CA, and the client certificate `name` (e.g. "client")."""
    args = ["--cafile", pki.ca_pem]
    if name:
        args += ["--cert", os.path.join(pki.dir, name + ".pem"), "--key", os.path.join(pki.dir, name + ".key")]
    return args


def mosq_pub_result(port, topic, extra, version="mqttv311"):
    """Runs mosquitto_pub -d (QoS 1) whatever the outcome; returns (exit code, stdout + stderr),
    where -d makes it print the OpenSSL error (the TLS alert the broker sent)."""
    r = subprocess.run(["mosquitto_pub", "-d", "-h", "127.0.0.1", "-p", str(port), "-V", version, "-q", "1",
                        "-t", topic, "-m", "hello", *extra], capture_output=True, text=True, timeout=20)
    return r.returncode, r.stdout + r.stderr


def ssl_context(pki, name=None, maximum=None, minimum=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(pki.ca_pem)
    if name:
        ctx.load_cert_chain(os.path.join(pki.dir, name + ".pem"), os.path.join(pki.dir, name + ".key"))
    if maximum:
        ctx.maximum_version = maximum
    if minimum:
        ctx.minimum_version = minimum
    return ctx


def tls_connack(port, ctx, version=4):
    """Handshake + CONNECT over TLS with Python's ssl module. Returns the CONNACK code, or a
    string saying how the connection failed before any CONNACK."""
    try:
        c = TlsRawClient(port, ctx)
    except (ssl.SSLError, OSError) as e:
        return f"handshake failed: {e}"
    try:
        c.send(rawmqtt.connect("pyssl", version=version))
        p = c.recv_packet(5)
    except (ssl.SSLError, OSError) as e:
        return f"failed after handshake: {e}"
    finally:
        c.close()
    if p is None:
        return "closed without CONNACK"
    assert p.type == clients.CONNACK, p
    return p.body[1]


def s_client(port, pki, *args):
    """`openssl s_client` with stdin closed (so it exits once connected); returns (rc, output)."""
    r = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-CAfile", pki.ca_pem, *args],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20)
    return r.returncode, r.stdout + r.stderr


class PahoTls:
    """paho-mqtt over TLS (tls_set with the test CA and an optional client certificate)."""

    def __init__(self, port, pki, client_id, protocol=mqtt.MQTTv311, cert=None):
        self.client = mqtt.Client(client_id=client_id, protocol=protocol)
        self.client.tls_set(ca_certs=pki.ca_pem, tls_version=ssl.PROTOCOL_TLS_CLIENT,
                            certfile=os.path.join(pki.dir, cert + ".pem") if cert else None,
                            keyfile=os.path.join(pki.dir, cert + ".key") if cert else None)
        self.messages, self.subacks = [], {}
        self.connected = threading.Event()
        self.rc = None
        self.client.on_connect = self._on_connect
        self.client.on_message = lambda c, u, m: self.messages.append((m.topic, bytes(m.payload), m.qos))
        self.client.on_subscribe = lambda c, u, mid, granted, *a: self.subacks.__setitem__(mid, granted)
        self.client.connect("127.0.0.1", port, 30)
        self.client.loop_start()
        assert self.connected.wait(5), "paho did not connect over TLS"
        assert self.rc == 0, f"paho CONNECT refused: {self.rc}"

    def _on_connect(self, client, userdata, flags, rc, properties=None):
        self.rc = rc
        self.connected.set()

    def subscribe(self, topic, qos):
        _, mid = self.client.subscribe(topic, qos)
        assert wait_for(lambda: mid in self.subacks), "no SUBACK"
        return self.subacks[mid]

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def paho_tls():
    made = []

    def make(*a, **kw):
        c = PahoTls(*a, **kw)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


@pytest.fixture
def subs():
    made = []

    def make(*a, **kw):
        s = MosqSub(*a, **kw)
        made.append(s)
        return s

    yield make
    for s in made:
        s.kill()


# ---------------------------------------------------------------------------------------------
# Working TLS
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", ["3.1.1", "5.0"])
def test_mosquitto_pub_sub_over_tls(conf_broker, pki, subs, version):
    """mosquitto_sub and mosquitto_pub verify the server certificate (CN localhost, SAN
    IP:127.0.0.1) against the test CA and exchange a QoS 1 message over TLS; the message also
    reaches a subscriber on the plain tcp listener. No normative statement (VerneMQ feature)."""
    b = conf_broker(tls_conf(pki))
    tls_port = b.ports["ssl.tls"]
    sub = subs(tls_port, ["tls/t"], version=version, qos=1, extra=cert_args(pki))
    plain = subs(b.ports["tcp.default"], ["tls/t"], version=version, qos=1)
    sub.wait_subscribed()
    plain.wait_subscribed()
    mosq_pub(tls_port, "tls/t", version=version, qos=1, message="over-tls", extra=cert_args(pki))
    assert sub.wait_exit() == 0 and plain.wait_exit() == 0
    assert [(m.topic, m.payload) for m in sub.messages] == [("tls/t", b"over-tls")]
    assert [(m.topic, m.payload) for m in plain.messages] == [("tls/t", b"over-tls")]


def test_tls_port_does_not_speak_plain_mqtt(conf_broker, pki):
    """A plain-text CONNECT sent to the TLS port gets no CONNACK (the broker expects a TLS
    ClientHello). No normative statement (VerneMQ feature)."""
    b = conf_broker(tls_conf(pki))
    c = rawmqtt.RawClient(b.ports["ssl.tls"])
    try:
        c.send(rawmqtt.connect("plain", version=4))
        try:
            p = c.recv_packet(3)
        except TimeoutError:
            p = None
        assert p is None or p.type != clients.CONNACK, f"plain MQTT answered on the TLS port: {p}"
    finally:
        c.close()


@pytest.mark.parametrize("protocol", [mqtt.MQTTv311, mqtt.MQTTv5], ids=["3.1.1", "5.0"])
def test_paho_with_client_certificate(conf_broker, pki, paho_tls, protocol):
    """With require_certificate = on, paho presenting a certificate of the CA connects, subscribes
    and gets its own QoS 1 message back. No normative statement (VerneMQ feature)."""
    b = conf_broker(client_cert_conf(pki))
    c = paho_tls(b.ports["ssl.tls"], pki, "paho-tls", protocol=protocol, cert="client")
    granted = c.subscribe("cert/+", 1)
    assert [getattr(g, "value", g) for g in granted] == [1]
    info = c.client.publish("cert/x", b"signed", qos=1)
    info.wait_for_publish(timeout=5)
    assert info.is_published()
    assert wait_for(lambda: c.messages), "no message came back"
    assert c.messages == [("cert/x", b"signed", 1)]


# ---------------------------------------------------------------------------------------------
# Refused client certificates
# ---------------------------------------------------------------------------------------------
def test_require_certificate_refuses_client_without_certificate(conf_broker, pki):
    """require_certificate = on: a client that presents no certificate gets no MQTT session
    (mosquitto_pub fails with the TLS alert `certificate required`; Python's ssl gets no CONNACK),
    while the same clients with a certificate connect. No normative statement (VerneMQ feature)."""
    b = conf_broker(client_cert_conf(pki))
    port = b.ports["ssl.tls"]
    rc, out = mosq_pub_result(port, "x", cert_args(pki))
    assert rc != 0 and "certificate required" in out, out
    assert not isinstance(tls_connack(port, ssl_context(pki)), int)
    assert mosq_pub_result(port, "x", cert_args(pki, "client"))[0] == 0
    assert tls_connack(port, ssl_context(pki, "client")) == 0


def test_expired_client_certificate_refused(conf_broker, pki):
    """A client certificate of the right CA whose validity ended (2020-01-02) is refused at the
    handshake (alert `certificate expired`). No normative statement (VerneMQ feature)."""
    b = conf_broker(client_cert_conf(pki))
    port = b.ports["ssl.tls"]
    for version in ("mqttv311", "mqttv5"):
        rc, out = mosq_pub_result(port, "x", cert_args(pki, "expired"), version=version)
        assert rc != 0 and "certificate expired" in out, out
    assert not isinstance(tls_connack(port, ssl_context(pki, "expired")), int)


def test_client_certificate_from_another_ca_refused(conf_broker, pki):
    """A certificate with the same CN (device-1) but signed by another CA is refused (alert
    `unknown ca`). No normative statement (VerneMQ feature)."""
    b = conf_broker(client_cert_conf(pki))
    port = b.ports["ssl.tls"]
    rc, out = mosq_pub_result(port, "x", cert_args(pki, "rogue"))
    assert rc != 0 and "unknown ca" in out, out
    assert not isinstance(tls_connack(port, ssl_context(pki, "rogue"), version=5), int)


def test_server_only_certificate_refused_as_client_certificate(conf_broker, pki):
    """A certificate of the right CA whose extended key usage is serverAuth only (the broker's
    own server.pem) is not accepted as a client certificate (alert `unsupported certificate`).
    No normative statement (VerneMQ feature)."""
    b = conf_broker(client_cert_conf(pki))
    port = b.ports["ssl.tls"]
    rc, out = mosq_pub_result(port, "x", cert_args(pki, "server"))
    assert rc != 0 and "unsupported certificate" in out, out
    assert not isinstance(tls_connack(port, ssl_context(pki, "server")), int)


def test_revoked_certificate_refused_with_crlfile(conf_broker, pki):
    """With crlfile, the revoked certificate is refused (alert `certificate revoked`) and a valid
    one of the same CA still connects; a second listener without crlfile accepts the revoked
    certificate, so the CRL is what refuses it. No normative statement (VerneMQ feature)."""
    extra = "\n".join(["listener.ssl.nocrl = 127.0.0.1:0",
                       f"listener.ssl.nocrl.certfile = {pki.server_pem}",
                       f"listener.ssl.nocrl.keyfile = {pki.server_key}",
                       f"listener.ssl.nocrl.cafile = {pki.ca_pem}",
                       "listener.ssl.nocrl.require_certificate = on"])
    b = conf_broker(client_cert_conf(pki, crlfile=pki.crl_pem) + extra)
    port = b.ports["ssl.tls"]
    rc, out = mosq_pub_result(port, "x", cert_args(pki, "revoked"))
    assert rc != 0 and "certificate revoked" in out, out
    assert not isinstance(tls_connack(port, ssl_context(pki, "revoked")), int)
    assert tls_connack(port, ssl_context(pki, "client")) == 0
    assert mosq_pub_result(b.ports["ssl.nocrl"], "x", cert_args(pki, "revoked"))[0] == 0


# ---------------------------------------------------------------------------------------------
# use_identity_as_username
# ---------------------------------------------------------------------------------------------
def test_use_identity_as_username_cn_becomes_username(conf_broker, pki, conns, subs, tmp_path):
    """use_identity_as_username = on, allow_anonymous = off, no password file, and an ACL that
    allows `id/device-1/#` only to user device-1:
    - the certificate with CN device-1 authenticates without any MQTT credentials and may use
      the topic (mosquitto_sub + mosquitto_pub);
    - a certificate with CN device-revoked (no CRL here) that sends the MQTT user name device-1
      is still device-revoked: the CN replaces the user name, so the ACL refuses it (5.0 SUBACK
      0x87, PUBACK 0x87);
    - `pattern write who/%u` substitutes the CN;
    - on the plain listener the same user name without certificate is refused (CONNACK 0x87).
    5.0:MQTT-3.1.4-2 for the refused CONNECT; otherwise no normative statement (VerneMQ feature)."""
    acl = tmp_path / "acl"
    acl.write_text("pattern write who/%u\nuser device-1\ntopic id/device-1/#\n")
    b = conf_broker(tls_conf(pki, anonymous=False, cafile=pki.ca_pem, require_certificate="on",
                             use_identity_as_username="on", extra=f"vmq_acl.acl_file = {acl}"))
    port = b.ports["ssl.tls"]
    sub = subs(port, ["id/device-1/#"], qos=1, extra=cert_args(pki, "client"))
    sub.wait_subscribed()
    mosq_pub(port, "id/device-1/temp", qos=1, message="21.5", extra=cert_args(pki, "client"))
    assert sub.wait_exit() == 0
    assert [(m.topic, m.payload) for m in sub.messages] == [("id/device-1/temp", b"21.5")]

    other = conns(port, "impostor", version=5, username="device-1",
                  raw_client=TlsRawClient(port, ssl_context(pki, "revoked")))
    assert other.rc == 0
    assert other.subscribe(("id/device-1/#", 1), expect=[0x87]) == [0x87]
    assert other.publish("id/device-1/temp", b"fake", qos=1) == 0x87

    dev = conns(port, "dev1-raw", version=5, raw_client=TlsRawClient(port, ssl_context(pki, "client")))
    assert dev.rc == 0
    assert dev.publish("who/device-1", b"me", qos=1) in (0, 0x10)  # pattern %u = the CN
    assert dev.publish("who/device-revoked", b"not me", qos=1) == 0x87
    assert other.publish("who/device-revoked", b"me", qos=1) in (0, 0x10)

    assert conns.refused(b.ports["tcp.default"], "plain", version=5, username="device-1") == 0x87
    assert conns.refused(b.ports["tcp.default"], "plain3", version=4, username="device-1") == 5


# ---------------------------------------------------------------------------------------------
# TLS versions
# ---------------------------------------------------------------------------------------------
def test_tls_version_13_refuses_tls12_client(conf_broker, pki):
    """tls_version = tlsv1.3: `openssl s_client -tls1_2` fails the handshake with a protocol
    version alert, `-tls1_3` succeeds, and MQTT works over TLS 1.3 (mosquitto_pub
    --tls-version tlsv1.3) but not for a Python client capped at TLS 1.2.
    No normative statement (VerneMQ feature)."""
    b = conf_broker(tls_conf(pki, tls_version="tlsv1.3"))
    port = b.ports["ssl.tls"]
    rc, out = s_client(port, pki, "-tls1_2")
    assert rc != 0 and "protocol version" in out, out
    rc, out = s_client(port, pki, "-tls1_3")
    assert rc == 0 and "TLSv1.3" in out, out
    assert isinstance(tls_connack(port, ssl_context(pki, maximum=ssl.TLSVersion.TLSv1_2)), str)
    assert tls_connack(port, ssl_context(pki, minimum=ssl.TLSVersion.TLSv1_3)) == 0
    rc, out = mosq_pub_result(port, "v13", cert_args(pki) + ["--tls-version", "tlsv1.3"])
    assert rc == 0 and "received PUBACK" in out, out


def test_tls11_client_refused_by_default(conf_broker, pki):
    """Default tls_version (tlsv1.2): a TLS 1.1 client (s_client -tls1_1 at security level 0, so
    the client itself is willing) gets a protocol version alert; TLS 1.2 and 1.3 clients
    connect. No normative statement (VerneMQ feature)."""
    b = conf_broker(tls_conf(pki))
    port = b.ports["ssl.tls"]
    rc, out = s_client(port, pki, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")
    assert rc != 0 and "alert protocol version" in out, out
    rc, out = s_client(port, pki, "-tls1_2")
    assert rc == 0 and "TLSv1.2" in out, out
    rc, out = s_client(port, pki, "-tls1_3")
    assert rc == 0 and "TLSv1.3" in out, out


def test_ciphers_limit_tls12_suites(conf_broker, pki):
    """ciphers = ECDHE-RSA-AES128-GCM-SHA256: a TLS 1.2 client offering only
    ECDHE-RSA-AES256-GCM-SHA384 fails the handshake, one offering the listed suite gets it.
    No normative statement (VerneMQ feature)."""
    b = conf_broker(tls_conf(pki, ciphers="ECDHE-RSA-AES128-GCM-SHA256"))
    port = b.ports["ssl.tls"]
    rc, out = s_client(port, pki, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384")
    assert rc != 0 and "handshake failure" in out, out
    rc, out = s_client(port, pki, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")
    assert rc == 0 and "Cipher is ECDHE-RSA-AES128-GCM-SHA256" in out, out


def test_tls_version_below_12_is_a_config_error(pki, tmp_path):
    """tls_version = tlsv1.1 (a VerneMQ value) is refused at start-up, naming the line.
    No normative statement (VerneMQ feature)."""
    rc, err, out = start_fails(tls_conf(pki, tls_version="tlsv1.1"), tmp_path / "b")
    assert rc != 0
    assert "TLS 1.2 is the lowest version supported" in err, err
    assert "ternmq.conf:" in err and "tls_version" in err, err
    assert "listening on" not in out


# ---------------------------------------------------------------------------------------------
# Bad certificate and key files
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["missing certfile", "key does not match", "certfile not PEM",
                                  "missing cafile", "missing crlfile", "crlfile not a CRL"])
def test_bad_tls_files_refuse_start(pki, tmp_path, case):
    """The broker refuses to start (non-zero exit, no ssl listener) and names the file when a
    certificate, key, CA or CRL file is missing or unusable. No normative statement (VerneMQ
    feature)."""
    missing = str(tmp_path / "nothere.pem")
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a pem file\n")
    settings = {"cafile": pki.ca_pem, "require_certificate": "on"}
    if case == "missing certfile":
        named, settings["certfile"] = missing, missing
    elif case == "key does not match":
        named, settings["keyfile"] = pki.other_key, pki.other_key
    elif case == "certfile not PEM":
        named, settings["certfile"] = str(garbage), str(garbage)
    elif case == "missing cafile":
        named, settings["cafile"] = missing, missing
    elif case == "missing crlfile":
        named, settings["crlfile"] = missing, missing
    else:
        named, settings["crlfile"] = str(garbage), str(garbage)
    rc, err, out = start_fails(tls_conf(pki, **settings), tmp_path / "b")
    assert rc != 0, err
    assert named in err, err
    assert "listener ssl.tls listening" not in out
