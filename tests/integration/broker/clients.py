"""Client helpers for the pub/sub, QoS, retain, session and will tests (test_02 .. test_06).

Three kinds of clients, all cleaned up by the `clients` fixture whatever the test did:

- `RawConn`: a connected raw-bytes client on top of rawmqtt.RawClient, with builders and decoders
  for the packets rawmqtt does not cover (acknowledgements, DISCONNECT, MQTT 5 properties);
- `PahoClient`: Debian's paho-mqtt 1.6.1 (MQTT 3.1, 3.1.1, 5.0) with a threaded network loop;
- `MosqSub`: a `mosquitto_sub` subprocess (always run with -C and -W so it ends by itself), whose
  output is parsed into (qos, retain, topic, payload) tuples; `mosq_pub` runs mosquitto_pub.

Waits are event-driven (`wait_for`, socket timeouts); `RawConn.nothing_for(s)` is the one
negative check and tests keep it at 0.5 s or less.
"""
import socket
import struct
import subprocess
import threading
import time

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

import rawmqtt
from conftest import wait_for

# ---------------------------------------------------------------------------------------------
# MQTT packet types and 5.0 property identifiers
# ---------------------------------------------------------------------------------------------
CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP = 1, 2, 3, 4, 5, 6, 7
SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, PINGREQ, PINGRESP, DISCONNECT, AUTH = 8, 9, 10, 11, 12, 13, 14, 15

P_PAYLOAD_FORMAT = 0x01
P_MESSAGE_EXPIRY = 0x02
P_CONTENT_TYPE = 0x03
P_RESPONSE_TOPIC = 0x08
P_CORRELATION_DATA = 0x09
P_SUBSCRIPTION_ID = 0x0B
P_SESSION_EXPIRY = 0x11
P_ASSIGNED_CLIENT_ID = 0x12
P_SERVER_KEEP_ALIVE = 0x13
P_WILL_DELAY = 0x18
P_REASON_STRING = 0x1F
P_RECEIVE_MAXIMUM = 0x21
P_TOPIC_ALIAS_MAXIMUM = 0x22
P_TOPIC_ALIAS = 0x23
P_MAXIMUM_QOS = 0x24
P_RETAIN_AVAILABLE = 0x25
P_USER_PROPERTY = 0x26
P_MAXIMUM_PACKET_SIZE = 0x27

_U8 = {0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A}
_U16 = {0x13, 0x21, 0x22, 0x23}
_U32 = {0x02, 0x11, 0x18, 0x27}
_STR = {0x03, 0x08, 0x12, 0x15, 0x1A, 0x1C, 0x1F}
_BIN = {0x09, 0x16}


def prop(pid, value):
    """One encoded property: the identifier byte and its value, typed by the identifier."""
    head = bytes([pid])
    if pid in _U8:
        return head + bytes([value])
    if pid in _U16:
        return head + struct.pack("!H", value)
    if pid in _U32:
        return head + struct.pack("!I", value)
    if pid == P_SUBSCRIPTION_ID:
        return head + rawmqtt.varint(value)
    if pid in _STR or pid in _BIN:
        return head + rawmqtt.utf8(value)
    if pid == P_USER_PROPERTY:
        return head + rawmqtt.utf8(value[0]) + rawmqtt.utf8(value[1])
    raise ValueError(f"unknown property {pid:#x}")


def props(*pairs):
    """Property block contents (without its length): props((P_X, v), (P_Y, w))."""
    return b"".join(prop(p, v) for p, v in pairs)


def read_varint(buf, i):
    mult, value = 1, 0
    while True:
        b = buf[i]
        i += 1
        value += (b & 0x7F) * mult
        mult *= 128
        if not b & 0x80:
            return value, i


class Props:
    """Decoded 5.0 properties, in wire order."""

    def __init__(self, pairs=()):
        self.pairs = list(pairs)

    def get(self, pid, default=None):
        for p, v in self.pairs:
            if p == pid:
                return v
        return default

    def all(self, pid):
        return [v for p, v in self.pairs if p == pid]

    def __contains__(self, pid):
        return any(p == pid for p, _ in self.pairs)

    def __repr__(self):
        return "Props(" + ", ".join(f"{p:#x}={v!r}" for p, v in self.pairs) + ")"


def decode_props(buf, i):
    """Decodes a property block (length + properties) at buf[i]; returns (Props, next index)."""
    length, i = read_varint(buf, i)
    end = i + length
    out = []
    while i < end:
        pid = buf[i]
        i += 1
        if pid in _U8:
            v = buf[i]
            i += 1
        elif pid in _U16:
            (v,) = struct.unpack_from("!H", buf, i)
            i += 2
        elif pid in _U32:
            (v,) = struct.unpack_from("!I", buf, i)
            i += 4
        elif pid == P_SUBSCRIPTION_ID:
            v, i = read_varint(buf, i)
        elif pid in _STR or pid in _BIN:
            (n,) = struct.unpack_from("!H", buf, i)
            v = bytes(buf[i + 2:i + 2 + n])
            if pid in _STR:
                v = v.decode()
            i += 2 + n
        elif pid == P_USER_PROPERTY:
            (n,) = struct.unpack_from("!H", buf, i)
            k = bytes(buf[i + 2:i + 2 + n]).decode()
            i += 2 + n
            (n,) = struct.unpack_from("!H", buf, i)
            val = bytes(buf[i + 2:i + 2 + n]).decode()
            i += 2 + n
            v = (k, val)
        else:
            raise ValueError(f"unknown property {pid:#x} in {buf!r}")
        out.append((pid, v))
    assert i == end, "property block length does not match its contents"
    return Props(out), end


# ---------------------------------------------------------------------------------------------
# Packet builders missing from rawmqtt
# ---------------------------------------------------------------------------------------------
def _ack(first, pid, version, rc, prop_bytes):
    body = struct.pack("!H", pid)
    if version == 5 and (rc or prop_bytes):
        body += bytes([rc])
        if prop_bytes:
            body += rawmqtt.varint(len(prop_bytes)) + prop_bytes
    return rawmqtt.packet(first, body)


def puback(pid, version=4, rc=0, prop_bytes=b""):
    return _ack(0x40, pid, version, rc, prop_bytes)


def pubrec(pid, version=4, rc=0, prop_bytes=b""):
    return _ack(0x50, pid, version, rc, prop_bytes)


def pubrel(pid, version=4, rc=0, prop_bytes=b""):
    return _ack(0x62, pid, version, rc, prop_bytes)


def pubcomp(pid, version=4, rc=0, prop_bytes=b""):
    return _ack(0x70, pid, version, rc, prop_bytes)


def disconnect(version=4, rc=0, prop_bytes=b""):
    if version == 5 and (rc or prop_bytes):
        body = bytes([rc]) + rawmqtt.varint(len(prop_bytes)) + prop_bytes
        return rawmqtt.packet(0xE0, body)
    return b"\xe0\x00"


PINGREQ_BYTES = b"\xc0\x00"


def sub_opts(qos, no_local=False, rap=False, rh=0):
    """A 5.0 Subscription Options byte."""
    return qos | (0x04 if no_local else 0) | (0x08 if rap else 0) | (rh << 4)


# ---------------------------------------------------------------------------------------------
# Packet decoders
# ---------------------------------------------------------------------------------------------
class Pub:
    """A decoded PUBLISH."""

    def __init__(self, pkt, version):
        self.raw_first = (pkt.type << 4) | pkt.flags
        self.dup = bool(pkt.flags & 0x08)
        self.qos = (pkt.flags >> 1) & 0x03
        self.retain = bool(pkt.flags & 0x01)
        b = pkt.body
        (n,) = struct.unpack_from("!H", b, 0)
        self.topic = b[2:2 + n].decode()
        i = 2 + n
        self.packet_id = None
        if self.qos:
            (self.packet_id,) = struct.unpack_from("!H", b, i)
            i += 2
        self.props = Props()
        if version == 5:
            self.props, i = decode_props(b, i)
        self.payload = bytes(b[i:])

    def __repr__(self):
        return (f"Pub(topic={self.topic!r}, payload={self.payload[:40]!r}, qos={self.qos}, dup={self.dup}, "
                f"retain={self.retain}, id={self.packet_id}, props={self.props})")


def parse_connack(pkt, version):
    """(session_present, return/reason code, Props) of a CONNACK."""
    assert pkt is not None, "connection closed instead of CONNACK"
    assert pkt.type == CONNACK, f"expected CONNACK, got {pkt}"
    sp, rc = pkt.body[0], pkt.body[1]
    pr = Props()
    if version == 5:
        pr, end = decode_props(pkt.body, 2)
        assert end == len(pkt.body)
    else:
        assert len(pkt.body) == 2
    return sp, rc, pr


def parse_ack(pkt, version=4):
    """(packet id, reason code, Props) of PUBACK/PUBREC/PUBREL/PUBCOMP; rc 0 when omitted."""
    (pid,) = struct.unpack_from("!H", pkt.body, 0)
    rc = pkt.body[2] if len(pkt.body) > 2 else 0
    pr = Props()
    if len(pkt.body) > 3:
        pr, _ = decode_props(pkt.body, 3)
    return pid, rc, pr


def parse_disconnect(pkt):
    """(reason code, Props) of a 5.0 DISCONNECT; rc 0 when omitted."""
    rc = pkt.body[0] if pkt.body else 0
    pr = Props()
    if len(pkt.body) > 1:
        pr, _ = decode_props(pkt.body, 1)
    return rc, pr


# ---------------------------------------------------------------------------------------------
# Raw connection
# ---------------------------------------------------------------------------------------------
class RawConn:
    """A raw client that has sent CONNECT and read the CONNACK (`session_present`, `rc`,
    `connack_props`). Packets read while waiting for a specific type are kept in order and
    returned by later `recv` calls, so nothing is lost."""

    def __init__(self, port, client_id="raw", version=4, clean=True, keep_alive=60, prop_bytes=b"",
                 will=None):
        self.version = version
        self.client_id = client_id
        self.c = rawmqtt.RawClient(port)
        self.pending = []
        self.c.send(rawmqtt.connect(client_id, version=version, clean=clean, keep_alive=keep_alive,
                                    props=prop_bytes, will=will))
        self.connack_at = None
        pkt = self.c.recv_packet()
        self.connack_at = time.time()
        self.session_present, self.rc, self.connack_props = parse_connack(pkt, version)
        self._next_pid = 1

    # -- sending ------------------------------------------------------------------------------
    def send(self, data):
        self.c.send(data)

    def pid(self):
        p = self._next_pid
        self._next_pid = p % 65535 + 1
        return p

    def subscribe(self, *filters, pid=None, prop_bytes=b"", expect=None):
        """filters: "t" (QoS 0), ("t", options_byte). Returns the SUBACK reason codes, after
        asserting they equal `expect` (default: the requested QoS for each)."""
        fl = [(f, 0) if isinstance(f, str) else f for f in filters]
        pid = pid or self.pid()
        self.c.send(rawmqtt.subscribe(fl, packet_id=pid, version=self.version, props=prop_bytes))
        ack = self.recv_type(SUBACK)
        (ack_pid,) = struct.unpack_from("!H", ack.body, 0)
        assert ack_pid == pid
        i = 2
        if self.version == 5:
            _, i = decode_props(ack.body, 2)
        codes = list(ack.body[i:])
        want = expect if expect is not None else [o & 0x03 for _, o in fl]
        assert codes == want, f"SUBACK codes {codes}, expected {want}"
        return codes

    def publish(self, topic, payload=b"", qos=0, retain=False, pid=None, dup=False, prop_bytes=b"",
                complete=True):
        """Sends PUBLISH; for QoS 1 waits for PUBACK, for QoS 2 for PUBREC and (when `complete`)
        sends PUBREL and waits for PUBCOMP. Returns the reason code of PUBACK/PUBREC."""
        if qos and pid is None:
            pid = self.pid()
        self.c.send(rawmqtt.publish(topic, payload, qos=qos, retain=retain, packet_id=pid or 1, dup=dup,
                                    version=self.version, props=prop_bytes))
        if qos == 0:
            return None
        ack = self.recv_type(PUBACK if qos == 1 else PUBREC)
        ack_pid, rc, _ = parse_ack(ack, self.version)
        assert ack_pid == pid
        if qos == 2 and complete and rc < 0x80:
            self.c.send(pubrel(pid, self.version))
            comp = self.recv_type(PUBCOMP)
            assert parse_ack(comp, self.version)[0] == pid
        return rc

    def disconnect(self, rc=0, prop_bytes=b"", wait=True):
        """Sends DISCONNECT; with `wait`, returns only once the server has closed the
        connection, so it has processed everything sent before (a reconnect that follows is
        not a takeover of a connection the server has not finished reading)."""
        self.c.send(disconnect(self.version, rc, prop_bytes))
        if wait:
            assert self.closed_by_server(), "server did not close the connection after DISCONNECT"
        self.close()

    def drop(self):
        """Ends the connection without DISCONNECT (to the server, a network failure: the will
        is published) and waits until the server has closed its side, i.e. noticed the loss."""
        try:
            self.c.sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        assert self.closed_by_server(), "server did not close a connection the client half-closed"
        self.close()

    def close(self):
        try:
            self.c.close()
        except OSError:
            pass

    # -- receiving ----------------------------------------------------------------------------
    def recv(self, timeout=5.0):
        """Next packet (None when the server closed the connection)."""
        if self.pending:
            return self.pending.pop(0)
        return self.c.recv_packet(timeout)

    def recv_type(self, ptype, timeout=5.0):
        for i, p in enumerate(self.pending):
            if p.type == ptype:
                return self.pending.pop(i)
        deadline = time.time() + timeout
        while True:
            p = self.c.recv_packet(max(0.01, deadline - time.time()))
            assert p is not None, f"connection closed while waiting for packet type {ptype}"
            if p.type == ptype:
                return p
            self.pending.append(p)

    def expect_publish(self, timeout=5.0):
        p = self.recv(timeout)
        assert p is not None, "connection closed while waiting for PUBLISH"
        assert p.type == PUBLISH, f"expected PUBLISH, got {p}"
        return Pub(p, self.version)

    def publishes(self, n, timeout=5.0, ack=False):
        """The next `n` PUBLISH packets (other packets fail the test)."""
        out = []
        for _ in range(n):
            pub = self.expect_publish(timeout)
            if ack:
                self.ack(pub)
            out.append(pub)
        return out

    def ack(self, pub):
        """Acknowledges a received PUBLISH fully (PUBACK, or PUBREC/PUBREL/PUBCOMP)."""
        if pub.qos == 1:
            self.c.send(puback(pub.packet_id, self.version))
        elif pub.qos == 2:
            self.c.send(pubrec(pub.packet_id, self.version))
            rel = self.recv_type(PUBREL)
            assert rel.flags == 0x2 and parse_ack(rel, self.version)[0] == pub.packet_id
            self.c.send(pubcomp(pub.packet_id, self.version))

    def nothing_for(self, seconds=0.3):
        """True when no packet arrives (and the connection stays open) for `seconds`."""
        if self.pending:
            return False
        try:
            p = self.c.recv_packet(seconds)
        except TimeoutError:
            return True
        if p is not None:
            self.pending.append(p)
        return False

    def closed_by_server(self, timeout=5.0):
        """True when the server closes the connection; packets before the close are kept."""
        deadline = time.time() + timeout
        while True:
            try:
                p = self.c.recv_packet(max(0.01, deadline - time.time()))
            except TimeoutError:
                return False
            if p is None:
                return True
            self.pending.append(p)


# ---------------------------------------------------------------------------------------------
# paho-mqtt
# ---------------------------------------------------------------------------------------------
PAHO_VERSIONS = {"3.1": mqtt.MQTTv31, "3.1.1": mqtt.MQTTv311, "5.0": mqtt.MQTTv5}


class Msg:
    """A message received by paho or mosquitto_sub."""

    def __init__(self, topic, payload, qos, retain, sub_ids=()):
        self.topic, self.payload, self.qos, self.retain = topic, payload, qos, retain
        self.sub_ids = list(sub_ids)

    def __repr__(self):
        return f"Msg({self.topic!r}, {self.payload[:40]!r}, qos={self.qos}, retain={self.retain}, ids={self.sub_ids})"


class PahoClient:
    def __init__(self, port, client_id, version="3.1.1", clean=True, keep_alive=60, connect_props=None):
        self.version = version
        proto = PAHO_VERSIONS[version]
        kwargs = {} if proto == mqtt.MQTTv5 else {"clean_session": clean}
        self.client = mqtt.Client(client_id=client_id, protocol=proto, **kwargs)
        self.messages = []
        self.lock = threading.Lock()
        self.connected = threading.Event()
        self.connack = None
        self.subacks = {}
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        if proto == mqtt.MQTTv5:
            self.client.connect("127.0.0.1", port, keep_alive, clean_start=clean, properties=connect_props)
        else:
            self.client.connect("127.0.0.1", port, keep_alive)
        self.client.loop_start()
        assert self.connected.wait(5), f"paho {version} client {client_id} did not connect"
        assert self.connack[1] == 0, f"paho {version} CONNECT refused: {self.connack}"

    def _on_connect(self, client, userdata, flags, rc, properties=None):
        self.connack = (flags, rc)
        self.connected.set()

    def _on_message(self, client, userdata, m):
        ids = []
        if self.version == "5.0" and m.properties is not None and hasattr(m.properties, "SubscriptionIdentifier"):
            ids = m.properties.SubscriptionIdentifier
            ids = ids if isinstance(ids, list) else [ids]
        with self.lock:
            self.messages.append(Msg(m.topic, bytes(m.payload), m.qos, bool(m.retain), ids))

    def _on_subscribe(self, client, userdata, mid, granted, properties=None):
        self.subacks[mid] = granted

    def subscribe(self, topic, qos=0, sub_id=None, **options):
        """Subscribes and waits for the SUBACK; `options` are 5.0 SubscribeOptions fields."""
        kwargs = {}
        if self.version == "5.0":
            from paho.mqtt.subscribeoptions import SubscribeOptions
            kwargs["options"] = SubscribeOptions(qos=qos, **options)
            if sub_id is not None:
                p = Properties(PacketTypes.SUBSCRIBE)
                p.SubscriptionIdentifier = sub_id
                kwargs["properties"] = p
        else:
            kwargs["qos"] = qos
        rc, mid = self.client.subscribe(topic, **kwargs)
        assert rc == mqtt.MQTT_ERR_SUCCESS
        assert wait_for(lambda: mid in self.subacks), f"no SUBACK for {topic}"
        return self.subacks[mid]

    def publish(self, topic, payload, qos=0, retain=False, properties=None):
        info = self.client.publish(topic, payload, qos=qos, retain=retain, properties=properties)
        if qos:
            info.wait_for_publish(timeout=10)
            assert info.is_published(), f"paho {self.version}: QoS {qos} publish to {topic} not acknowledged"
        return info

    def received(self):
        with self.lock:
            return list(self.messages)

    def wait_messages(self, n, timeout=5.0):
        wait_for(lambda: len(self.messages) >= n, timeout)
        return self.received()

    def close(self):
        try:
            self.client.disconnect()
        finally:
            self.client.loop_stop()


# ---------------------------------------------------------------------------------------------
# mosquitto_sub / mosquitto_pub
# ---------------------------------------------------------------------------------------------
MOSQ_VERSIONS = {"3.1": "mqttv31", "3.1.1": "mqttv311", "5.0": "mqttv5"}
_MSG_PREFIX = "=MSG= "


class MosqSub:
    """`mosquitto_sub -C count -W timeout -d`; messages parsed from a `-F` line with the payload
    in hex, so any payload survives. `wait_subscribed` waits for its SUBACK."""

    def __init__(self, port, topics, version="3.1.1", qos=0, count=1, timeout=10, client_id=None, extra=()):
        args = ["stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-V", MOSQ_VERSIONS[version],
                "-q", str(qos), "-C", str(count), "-W", str(timeout), "-d",
                "-F", _MSG_PREFIX + "%q %r %t %x"]
        if client_id:
            args += ["-i", client_id]
        for t in topics:
            args += ["-t", t]
        args += list(extra)
        self.messages = []
        self.lines = []
        self.subscribed = threading.Event()
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            self.lines.append(line)
            if line.startswith(_MSG_PREFIX):
                q, r, rest = line[len(_MSG_PREFIX):].split(" ", 2)
                topic, _, hexp = rest.rpartition(" ")
                self.messages.append(Msg(topic, bytes.fromhex(hexp), int(q), r == "1"))
            elif line.startswith("Subscribed (mid:"):
                self.subscribed.set()

    def wait_subscribed(self, timeout=5.0):
        assert self.subscribed.wait(timeout), "mosquitto_sub did not subscribe:\n" + "\n".join(self.lines)

    def wait_exit(self, timeout=10.0):
        """Waits for the process to end (it ends after -C messages); returns the exit code."""
        rc = self.proc.wait(timeout)
        self.reader.join(5)
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.reader.join(5)


def mosq_pub(port, topic, version="3.1.1", qos=0, message=None, retain=False, client_id=None, extra=(),
             stdin=None, timeout=20):
    """Runs mosquitto_pub to completion and asserts it succeeded."""
    args = ["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port), "-V", MOSQ_VERSIONS[version],
            "-q", str(qos), "-t", topic]
    if message is not None:
        args += ["-m", message]
    if retain:
        args.append("-r")
    if client_id:
        args += ["-i", client_id]
    args += list(extra)
    r = subprocess.run(args, input=stdin, capture_output=True, timeout=timeout)
    assert r.returncode == 0, f"mosquitto_pub failed ({r.returncode}): {r.stderr!r}"
    return r


# ---------------------------------------------------------------------------------------------
# Fixture
# ---------------------------------------------------------------------------------------------
class Clients:
    """Factory for clients of one test; everything it made is closed or killed at teardown."""

    def __init__(self):
        self.made = []

    def raw(self, broker_or_port, client_id="raw", version=4, **kw):
        port = getattr(broker_or_port, "port", broker_or_port)
        c = RawConn(port, client_id, version, **kw)
        self.made.append(c)
        return c

    def raw_socket(self, broker_or_port):
        """An unconnected rawmqtt.RawClient (for CONNECTs that are expected to be refused)."""
        port = getattr(broker_or_port, "port", broker_or_port)
        c = rawmqtt.RawClient(port)
        self.made.append(c)
        return c

    def paho(self, broker, client_id, version="3.1.1", **kw):
        c = PahoClient(broker.port, client_id, version, **kw)
        self.made.append(c)
        return c

    def mosq_sub(self, broker, topics, **kw):
        s = MosqSub(broker.port, topics if isinstance(topics, (list, tuple)) else [topics], **kw)
        self.made.append(s)
        return s

    def close_all(self):
        for c in reversed(self.made):
            try:
                if isinstance(c, MosqSub):
                    c.kill()
                else:
                    c.close()
            except Exception:
                pass


@pytest.fixture(name="clients")
def clients_fixture():
    """Import `clients_fixture` into a test module to use the `clients` fixture."""
    cs = Clients()
    yield cs
    cs.close_all()
