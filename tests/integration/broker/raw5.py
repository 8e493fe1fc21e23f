"""MQTT 5.0 helpers on top of rawmqtt: property builders, packet builders the base module lacks,
and parsers for what the broker sends back. Written from the specification (MQTT 5.0 sections
2.2.2 and 3.x), independent of the broker's codec, so the tests can assert exact bytes."""
import struct
import time

import rawmqtt
from rawmqtt import RawClient, packet, utf8, varint

# ---- Property identifiers (MQTT 5.0 table 2-4) ----------------------------------------------
PAYLOAD_FORMAT = 0x01
MESSAGE_EXPIRY = 0x02
CONTENT_TYPE = 0x03
RESPONSE_TOPIC = 0x08
CORRELATION_DATA = 0x09
SUBSCRIPTION_ID = 0x0B
SESSION_EXPIRY = 0x11
ASSIGNED_CLIENT_ID = 0x12
SERVER_KEEP_ALIVE = 0x13
AUTH_METHOD = 0x15
AUTH_DATA = 0x16
REQUEST_PROBLEM_INFO = 0x17
WILL_DELAY = 0x18
REQUEST_RESPONSE_INFO = 0x19
RESPONSE_INFO = 0x1A
SERVER_REFERENCE = 0x1C
REASON_STRING = 0x1F
RECEIVE_MAXIMUM = 0x21
TOPIC_ALIAS_MAXIMUM = 0x22
TOPIC_ALIAS = 0x23
MAXIMUM_QOS = 0x24
RETAIN_AVAILABLE = 0x25
USER_PROPERTY = 0x26
MAXIMUM_PACKET_SIZE = 0x27
WILDCARD_SUB_AVAILABLE = 0x28
SUB_ID_AVAILABLE = 0x29
SHARED_SUB_AVAILABLE = 0x2A

_BYTE = {PAYLOAD_FORMAT, REQUEST_PROBLEM_INFO, REQUEST_RESPONSE_INFO, MAXIMUM_QOS, RETAIN_AVAILABLE,
         WILDCARD_SUB_AVAILABLE, SUB_ID_AVAILABLE, SHARED_SUB_AVAILABLE}
_U16 = {SERVER_KEEP_ALIVE, RECEIVE_MAXIMUM, TOPIC_ALIAS_MAXIMUM, TOPIC_ALIAS}
_U32 = {MESSAGE_EXPIRY, SESSION_EXPIRY, WILL_DELAY, MAXIMUM_PACKET_SIZE}
_VARINT = {SUBSCRIPTION_ID}
_STRING = {CONTENT_TYPE, RESPONSE_TOPIC, ASSIGNED_CLIENT_ID, AUTH_METHOD, RESPONSE_INFO, SERVER_REFERENCE,
           REASON_STRING}
_BINARY = {CORRELATION_DATA, AUTH_DATA}

# ---- Reason codes used by the tests ---------------------------------------------------------
SUCCESS = 0x00
DISCONNECT_WITH_WILL = 0x04
NO_MATCHING_SUBSCRIBERS = 0x10
NO_SUBSCRIPTION_EXISTED = 0x11
UNSPECIFIED_ERROR = 0x80
MALFORMED_PACKET = 0x81
PROTOCOL_ERROR = 0x82
UNSUPPORTED_PROTOCOL_VERSION = 0x84
CLIENT_ID_NOT_VALID = 0x85
SERVER_SHUTTING_DOWN = 0x8B
BAD_AUTH_METHOD = 0x8C
KEEP_ALIVE_TIMEOUT = 0x8D
SESSION_TAKEN_OVER = 0x8E
TOPIC_FILTER_INVALID = 0x8F
TOPIC_NAME_INVALID = 0x90
RECEIVE_MAXIMUM_EXCEEDED = 0x93
TOPIC_ALIAS_INVALID = 0x94
PACKET_TOO_LARGE = 0x95
PAYLOAD_FORMAT_INVALID = 0x99

# Packet types.
CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP = 1, 2, 3, 4, 5, 6, 7
SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, PINGREQ, PINGRESP, DISCONNECT, AUTH = 8, 9, 10, 11, 12, 13, 14, 15


# ---- Property builders ----------------------------------------------------------------------
def prop(pid, value):
    """One property, encoded by the type its identifier has in table 2-4."""
    head = varint(pid)
    if pid in _BYTE:
        return head + bytes([value])
    if pid in _U16:
        return head + struct.pack("!H", value)
    if pid in _U32:
        return head + struct.pack("!I", value)
    if pid in _VARINT:
        return head + varint(value)
    if pid in _STRING:
        return head + utf8(value)
    if pid in _BINARY:
        return head + utf8(value)  # same length-prefixed layout
    if pid == USER_PROPERTY:
        k, v = value
        return head + utf8(k) + utf8(v)
    raise ValueError(f"unknown property {pid:#x}")


def props(*pairs):
    """props((ID, value), ...) -> the concatenated property bytes (without the length)."""
    return b"".join(prop(pid, v) for pid, v in pairs)


def user(k, v):
    return prop(USER_PROPERTY, (k, v))


# ---- Property parser ------------------------------------------------------------------------
def read_varint(data, i):
    mult, value = 1, 0
    for _ in range(4):
        b = data[i]
        i += 1
        value += (b & 0x7F) * mult
        mult *= 128
        if not b & 0x80:
            return value, i
    raise ValueError("variable byte integer longer than 4 bytes")


def _read_str(data, i):
    n = struct.unpack_from("!H", data, i)[0]
    return data[i + 2:i + 2 + n], i + 2 + n


class Props:
    """Decoded properties: `items` keeps wire order (with repeats); `get` returns the first."""

    def __init__(self, items):
        self.items = items

    def get(self, pid, default=None):
        for k, v in self.items:
            if k == pid:
                return v
        return default

    def all(self, pid):
        return [v for k, v in self.items if k == pid]

    def __contains__(self, pid):
        return any(k == pid for k, _ in self.items)

    def __repr__(self):
        return f"Props({self.items!r})"


def parse_props(data, i=0):
    """Properties at data[i:] (length first). Returns (Props, index after them)."""
    length, i = read_varint(data, i)
    end = i + length
    items = []
    while i < end:
        pid, i = read_varint(data, i)
        if pid in _BYTE:
            v = data[i]
            i += 1
        elif pid in _U16:
            v = struct.unpack_from("!H", data, i)[0]
            i += 2
        elif pid in _U32:
            v = struct.unpack_from("!I", data, i)[0]
            i += 4
        elif pid in _VARINT:
            v, i = read_varint(data, i)
        elif pid in _STRING:
            raw, i = _read_str(data, i)
            v = raw.decode()
        elif pid in _BINARY:
            v, i = _read_str(data, i)
        elif pid == USER_PROPERTY:
            k, i = _read_str(data, i)
            val, i = _read_str(data, i)
            v = (k.decode(), val.decode())
        else:
            raise ValueError(f"unknown property {pid:#x} in {data!r}")
        items.append((pid, v))
    if i != end:
        raise ValueError("property length does not match its contents")
    return Props(items), end


# ---- Packet builders ------------------------------------------------------------------------
def connect5(client_id="raw5", clean=True, keep_alive=60, properties=b"", **kw):
    return rawmqtt.connect(client_id, version=5, clean=clean, keep_alive=keep_alive, props=properties, **kw)


def publish5(topic, payload=b"", qos=0, retain=False, packet_id=1, dup=False, properties=b""):
    return rawmqtt.publish(topic, payload, qos=qos, retain=retain, packet_id=packet_id, dup=dup, version=5,
                           props=properties)


def subscribe5(filters, packet_id=1, properties=b""):
    """filters: list of (filter, options byte)."""
    return rawmqtt.subscribe(filters, packet_id=packet_id, version=5, props=properties)


def sub_opts(qos=0, no_local=False, retain_as_published=False, retain_handling=0):
    return qos | (0x04 if no_local else 0) | (0x08 if retain_as_published else 0) | (retain_handling << 4)


def unsubscribe(filters, packet_id=1, version=5, properties=b""):
    body = struct.pack("!H", packet_id)
    if version == 5:
        body += varint(len(properties)) + properties
    for f in filters:
        body += utf8(f)
    return packet(0xA2, body)


def _ack(first, packet_id, reason=None, properties=b""):
    body = struct.pack("!H", packet_id)
    if reason is not None or properties:
        body += bytes([reason or 0])
        if properties:
            body += varint(len(properties)) + properties
    return packet(first, body)


def puback(packet_id, reason=None, properties=b""):
    return _ack(0x40, packet_id, reason, properties)


def pubrec(packet_id, reason=None, properties=b""):
    return _ack(0x50, packet_id, reason, properties)


def pubrel(packet_id, reason=None, properties=b""):
    return _ack(0x62, packet_id, reason, properties)


def pubcomp(packet_id, reason=None, properties=b""):
    return _ack(0x70, packet_id, reason, properties)


def disconnect(reason=None, properties=b""):
    body = b""
    if reason is not None or properties:
        body = bytes([reason or 0]) + varint(len(properties)) + properties
    return packet(0xE0, body)


def auth(reason=0x00, properties=b""):
    return packet(0xF0, bytes([reason]) + varint(len(properties)) + properties)


PINGREQ_BYTES = b"\xc0\x00"


# ---- Parsers for packets from the broker -----------------------------------------------------
class Connack:
    def __init__(self, p, v5=True):
        assert p is not None, "connection closed instead of CONNACK"
        assert p.type == CONNACK, f"expected CONNACK, got {p!r}"
        self.session_present = p.body[0] & 1
        self.flags = p.body[0]
        self.reason = p.body[1]
        self.props = parse_props(p.body, 2)[0] if v5 and len(p.body) > 2 else Props([])
        self.raw = p.body


class Publish:
    def __init__(self, p, v5=True):
        assert p is not None, "connection closed instead of PUBLISH"
        assert p.type == PUBLISH, f"expected PUBLISH, got {p!r}"
        self.qos = (p.flags >> 1) & 3
        self.retain = p.flags & 1
        self.dup = (p.flags >> 3) & 1
        n = struct.unpack_from("!H", p.body, 0)[0]
        self.topic = p.body[2:2 + n].decode()
        i = 2 + n
        self.packet_id = None
        if self.qos:
            self.packet_id = struct.unpack_from("!H", p.body, i)[0]
            i += 2
        if v5:
            self.props, i = parse_props(p.body, i)
        else:
            self.props = Props([])
        self.payload = p.body[i:]

    def __repr__(self):
        return (f"Publish(topic={self.topic!r}, qos={self.qos}, retain={self.retain}, id={self.packet_id}, "
                f"props={self.props!r}, payload={self.payload[:40]!r})")


class Ack:
    """PUBACK/PUBREC/PUBREL/PUBCOMP/UNSUBACK/SUBACK: packet id, reason code(s), properties."""

    def __init__(self, p, v5=True):
        assert p is not None, "connection closed instead of an acknowledgement"
        self.type = p.type
        self.packet_id = struct.unpack_from("!H", p.body, 0)[0]
        self.props = Props([])
        if p.type in (SUBACK, UNSUBACK):
            i = 2
            if v5:
                self.props, i = parse_props(p.body, 2)
            self.reasons = list(p.body[i:])
            self.reason = self.reasons[0] if self.reasons else None
        else:
            self.reason = p.body[2] if len(p.body) > 2 else 0
            if len(p.body) > 3:
                self.props = parse_props(p.body, 3)[0]


class Disconnect:
    def __init__(self, p):
        assert p is not None, "connection closed without DISCONNECT"
        assert p.type == DISCONNECT, f"expected DISCONNECT, got {p!r}"
        self.reason = p.body[0] if p.body else 0
        self.props = parse_props(p.body, 1)[0] if len(p.body) > 1 else Props([])


# ---- Client-level helpers -------------------------------------------------------------------
def open5(port, client_id="raw5", clean=True, keep_alive=60, properties=b"", timeout=5.0, **kw):
    """Connects a 5.0 raw client; returns (RawClient, Connack). Asserts success."""
    c = RawClient(port, timeout=timeout)
    c.send(connect5(client_id, clean=clean, keep_alive=keep_alive, properties=properties, **kw))
    ack = Connack(c.recv_packet(timeout))
    assert ack.reason == 0, f"CONNACK refused: {ack.reason:#x} {ack.props!r}"
    return c, ack


def open311(port, client_id="raw4", clean=True, keep_alive=60, timeout=5.0, **kw):
    c = RawClient(port, timeout=timeout)
    c.send(rawmqtt.connect(client_id, version=4, clean=clean, keep_alive=keep_alive, **kw))
    p = c.recv_packet(timeout)
    assert p is not None and p.type == CONNACK and p.body[1] == 0, f"CONNACK refused: {p!r}"
    return c, p


def subscribe_ok(c, filters, packet_id=1, properties=b"", v5=True):
    """Sends SUBSCRIBE and waits for its SUBACK (returned)."""
    if v5:
        c.send(subscribe5(filters, packet_id, properties))
    else:
        c.send(rawmqtt.subscribe(filters, packet_id=packet_id))
    p = c.recv_packet()
    assert p is not None and p.type == SUBACK, f"expected SUBACK, got {p!r}"
    ack = Ack(p, v5)
    assert ack.packet_id == packet_id
    return ack


def expect_disconnect(c, reason, timeout=5.0):
    """The next packet is DISCONNECT with `reason`, and then the server closes the connection."""
    d = Disconnect(c.recv_packet(timeout))
    assert d.reason == reason, f"DISCONNECT reason {d.reason:#x}, expected {reason:#x} ({d.props!r})"
    # MQTT-3.14.4-1/-2: nothing after the DISCONNECT, then the connection is closed.
    p = c.recv_packet(timeout)
    assert p is None, f"packet after DISCONNECT: {p!r}"
    return d


def expect_closed_silently(c, timeout=5.0):
    """The server closes the connection without sending anything first."""
    p = c.recv_packet(timeout)
    assert p is None, f"expected the connection to be closed, got {p!r}"


def recv_publishes(c, n, v5=True, timeout=5.0, ack=False):
    """Reads exactly n PUBLISH packets (other packets fail the test). With `ack`, acknowledges QoS 1
    (PUBACK) as they arrive."""
    out = []
    deadline = time.time() + timeout
    while len(out) < n:
        p = c.recv_packet(max(0.01, deadline - time.time()))
        m = Publish(p, v5)
        if ack and m.qos == 1:
            c.send(puback(m.packet_id))
        out.append(m)
    return out


def nothing_more(c, wait=0.3):
    """True when no packet arrives within `wait` seconds (negative check)."""
    try:
        p = c.recv_packet(wait)
    except TimeoutError:
        return True
    raise AssertionError(f"unexpected packet {p!r}")


def check_alive(port, tag="alive"):
    """The broker still serves: a new 5.0 client subscribes, publishes to itself and receives it."""
    c, _ = open5(port, "")  # server-assigned id: works whatever max_client_id_size is
    try:
        subscribe_ok(c, [(f"check/{tag}", 0)])
        c.send(publish5(f"check/{tag}", b"ping"))
        m = Publish(c.recv_packet())
        assert m.topic == f"check/{tag}" and m.payload == b"ping"
    finally:
        c.close()


def collect(clients, total, timeout=10.0, v5=True, ack=True):
    """Reads PUBLISH packets from several clients at once until `total` have arrived (or the
    timeout passes); acknowledges QoS 1/2 as they come with `ack`. Returns a list per client, in
    the order given. `v5` is a bool for all clients or a list, one per client."""
    import select
    v5s = v5 if isinstance(v5, (list, tuple)) else [v5] * len(clients)
    got = [[] for _ in clients]
    deadline = time.time() + timeout
    while sum(map(len, got)) < total:
        progressed = False
        for i, c in enumerate(clients):
            while True:
                p = c._parse()
                if p is None:
                    break
                progressed = True
                if p.type == PUBREL:  # QoS 2 exchange from the server: complete it
                    c.send(pubcomp(Ack(p, v5s[i]).packet_id))
                    continue
                m = Publish(p, v5s[i])
                if ack and m.qos == 1:
                    c.send(puback(m.packet_id))
                elif ack and m.qos == 2:
                    c.send(pubrec(m.packet_id))
                got[i].append(m)
        if progressed:
            continue
        remaining = deadline - time.time()
        if remaining <= 0:
            break
        ready, _, _ = select.select([c.sock for c in clients], [], [], remaining)
        for i, c in enumerate(clients):
            if c.sock in ready:
                chunk = c.sock.recv(65536)
                assert chunk, f"client {i} closed by the server while collecting"
                c.buf += chunk
    return got
