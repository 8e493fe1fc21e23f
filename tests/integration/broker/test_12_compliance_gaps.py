"""12: normative statements of MQTT 3.1.1 and 5.0 that no other file exercised (docs/compliance.md
lists which test covers which statement). Raw bytes throughout, so every packet is exact; each
test names the statements it checks."""
import struct
import time

import pytest

import raw5
import rawmqtt
from clients import (CONNACK, DISCONNECT, PINGRESP, PUBACK, PUBCOMP, PUBLISH, PUBREC, PUBREL, SUBACK, UNSUBACK,
                     P_SESSION_EXPIRY, P_USER_PROPERTY, Pub, parse_ack, parse_connack, parse_disconnect, props,
                     puback, pubcomp, pubrec, pubrel)
from clients import clients_fixture  # noqa: F401  (the `clients` fixture)
from conftest import Broker
from rawmqtt import packet, utf8, varint

MALFORMED = 0x81
PROTOCOL_ERROR = 0x82

# MQTT 5.0 Table 3-1, Connect Reason Code values.
CONNECT_REASON_CODES = {0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95,
                        0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F}


def _session(version, seconds=60):
    """CONNECT properties (5.0) for a session that outlives its connection; nothing for 3.1.1."""
    return props((P_SESSION_EXPIRY, seconds)) if version == 5 else b""


def _connect_bytes(version, flags, payload, properties=b""):
    """A CONNECT with exactly these Connect Flags and payload bytes (no consistency check here)."""
    vh = utf8("MQTT") + bytes([version, flags]) + struct.pack("!H", 60)
    if version == 5:
        vh += varint(len(properties)) + properties
    return packet(0x10, vh + payload)


def _expect_connect_refused(c, version, what):
    """3.1.1: the connection is closed without a CONNACK. 5.0: closed, after at most a CONNACK with
    reason 0x81 (Malformed Packet) and Session Present 0. Never accepted."""
    p = c.recv_packet()
    if version == 4:
        assert p is None, f"{what}: 3.1.1 expects a close without CONNACK, got {p!r}"
        return
    if p is not None:
        sp, rc, _ = parse_connack(p, 5)
        assert (sp, rc) == (0, MALFORMED), f"{what}: CONNACK {sp} {rc:#x}"
        assert c.recv_packet() is None, f"{what}: packet after the refusing CONNACK"


def _packet_size(p):
    return 1 + len(varint(len(p.body))) + len(p.body)


# ---- CONNECT: flags, payload fields and their encoding -----------------------------------------

def _connect_cases(version):
    wp = b"\x00" if version == 5 else b""  # 5.0: the Will Properties come before the Will Topic
    cases = [
        ("will flag, no will fields", 0x06, utf8("c")),
        ("will flag, will payload missing", 0x06, utf8("c") + wp + utf8("w/t")),
        ("will fields without the will flag", 0x02, utf8("c") + wp + utf8("w/t") + utf8("m")),
        ("user name flag, no user name", 0x82, utf8("c")),
        ("user name without its flag", 0x02, utf8("c") + utf8("user")),
        ("password flag, no password", 0xC2, utf8("c") + utf8("user")),
        ("password without its flag", 0x82, utf8("c") + utf8("user") + utf8("pw")),
        ("no client identifier", 0x02, b""),
        ("client identifier not UTF-8", 0x02, utf8(b"c\xff")),
        ("client identifier with a surrogate", 0x02, utf8(b"c\xed\xa0\x80")),
        ("will topic not UTF-8", 0x06, utf8("c") + wp + utf8(b"w/\xc0\xaf") + utf8("m")),
        ("user name not UTF-8", 0x82, utf8("c") + utf8(b"u\xff")),
    ]
    if version == 5:  # the 3.1.1 forms of these are in test_07
        cases += [
            ("will QoS 1 without the will flag", 0x0A, utf8("c")),
            ("will retain without the will flag", 0x22, utf8("c")),
            ("will QoS 3", 0x1E, utf8("c") + wp + utf8("w/t") + utf8("m")),
        ]
    return cases


@pytest.mark.parametrize("version", [4, 5])
def test_connect_payload_must_match_flags_and_be_utf8(broker, version):
    """A CONNECT whose payload does not match its Connect Flags (a flagged field missing, an
    unflagged field present, no Client Identifier) or whose Client Identifier, Will Topic or User
    Name is not well-formed UTF-8 is malformed: 3.1.1 closes without CONNACK, 5.0 closes (CONNACK
    0x81 allowed first). Will QoS/Retain without the Will Flag and Will QoS 3 are malformed in 5.0.
    [3.1.1:MQTT-3.1.2-9] [3.1.1:MQTT-3.1.2-11] [3.1.1:MQTT-3.1.2-18] [3.1.1:MQTT-3.1.2-19]
    [3.1.1:MQTT-3.1.2-20] [3.1.1:MQTT-3.1.2-21] [3.1.1:MQTT-3.1.3-3] [3.1.1:MQTT-3.1.3-4]
    [3.1.1:MQTT-3.1.3-10] [3.1.1:MQTT-3.1.3-11] [3.1.1:MQTT-3.1.4-1] [3.1.1:MQTT-3.2.2-6]
    [3.1.1:MQTT-1.5.3-1]
    [5.0:MQTT-3.1.2-9] [5.0:MQTT-3.1.2-11] [5.0:MQTT-3.1.2-12] [5.0:MQTT-3.1.2-13] [5.0:MQTT-3.1.2-16]
    [5.0:MQTT-3.1.2-17] [5.0:MQTT-3.1.2-18] [5.0:MQTT-3.1.2-19] [5.0:MQTT-3.1.3-3] [5.0:MQTT-3.1.3-4]
    [5.0:MQTT-3.1.3-11] [5.0:MQTT-3.1.3-12] [5.0:MQTT-3.1.4-1] [5.0:MQTT-1.5.4-1]"""
    for what, flags, payload in _connect_cases(version):
        c = rawmqtt.RawClient(broker.port)
        try:
            c.send(_connect_bytes(version, flags, payload))
            _expect_connect_refused(c, version, what)
        finally:
            c.close()
    raw5.check_alive(broker.port, f"connect{version}")


@pytest.mark.parametrize("version", [4, 5])
def test_connect_fields_read_in_order(broker, clients, version):
    """A CONNECT with every payload field (Client Identifier, [5.0 Will Properties,] Will Topic,
    Will Message, User Name, Password) is read field by field in that order: it is accepted, and the
    will published on an abnormal close has the Will Topic, Will Message, Will QoS and Will Retain
    of the CONNECT (5.0: and its Will Properties).
    [3.1.1:MQTT-3.1.3-1] [3.1.1:MQTT-3.1.2-9] [3.1.1:MQTT-3.1.3-3] [5.0:MQTT-3.1.3-1] [5.0:MQTT-3.1.2-9]
    [5.0:MQTT-3.1.3-3]"""
    watch = clients.raw(broker, "orderwatch", version=version)
    watch.subscribe(("order/#", 1))
    will_props = props((0x03, "text/plain")) if version == 5 else b""
    c = rawmqtt.RawClient(broker.port)
    c.send(rawmqtt.connect("ordered", version=version, will=("order/will", b"last words", 1, True, will_props),
                           username="someone", password="secret"))
    sp, rc, _ = parse_connack(c.recv_packet(), version)
    assert (sp, rc) == (0, 0)
    c.close()
    m = watch.expect_publish()
    assert (m.topic, m.payload, m.qos) == ("order/will", b"last words", 1)
    if version == 5:
        assert m.props.get(0x03) == "text/plain"
    watch.ack(m)
    late = clients.raw(broker, "orderlate", version=version)
    late.subscribe(("order/will", 1))
    m = late.expect_publish()
    assert (m.topic, m.payload, m.retain) == ("order/will", b"last words", True)  # Will Retain 1 was read
    late.ack(m)


def test_no_will_flag_no_will_published(broker, clients):
    """A 3.1.1 connection whose CONNECT had Will Flag 0 publishes nothing when it ends abnormally
    (socket closed, and a protocol violation), while a will of another client does arrive.
    [3.1.1:MQTT-3.1.2-12]"""
    watch = clients.raw(broker, "nowillwatch")
    watch.subscribe(("#", 1))
    quiet = clients.raw(broker, "nowill")
    quiet.close()
    violator = clients.raw(broker, "nowill2")
    violator.send(b"\x00\x00")  # reserved packet type: the server closes the connection
    assert violator.closed_by_server()
    control = clients.raw(broker, "withwill", will=("nw/will", b"control", 1, False))
    control.close()
    m = watch.expect_publish()
    assert (m.topic, m.payload) == ("nw/will", b"control")
    watch.ack(m)
    assert watch.nothing_for(0.3)


def test_client_id_selects_the_session_v5(broker, clients):
    """5.0: the Client Identifier picks the session: two persistent sessions get their own queued
    messages back, each only its own.
    [5.0:MQTT-3.1.3-2]"""
    for cid in ("idA", "idB"):
        c = clients.raw(broker, cid, version=5, clean=False, prop_bytes=_session(5))
        c.subscribe((f"cid/{cid}", 1))
        c.disconnect()
    pub = clients.raw(broker, "cidpub", version=5)
    pub.publish("cid/idA", b"for A", qos=1)
    pub.publish("cid/idB", b"for B", qos=1)
    for cid, want in (("idB", b"for B"), ("idA", b"for A")):
        c = clients.raw(broker, cid, version=5, clean=False, prop_bytes=_session(5))
        assert (c.session_present, c.rc) == (1, 0)
        m = c.expect_publish()
        assert (m.topic, m.payload) == (f"cid/{cid}", want)
        c.ack(m)
        assert c.nothing_for(0.2), f"{cid} received another session's message"


# ---- CONNACK ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", [4, 5])
def test_connack_is_first_and_only_once(broker, clients, version):
    """Resuming a session with queued messages: the first packet from the server is the CONNACK
    (return/reason code 0, Session Present 1), before any queued PUBLISH; PINGREQ is answered with
    PINGRESP D0 00; a second CONNECT ends the connection (5.0: DISCONNECT 0x82) and no second
    CONNACK is ever sent.
    [3.1.1:MQTT-3.2.0-1] [3.1.1:MQTT-3.1.4-4] [3.1.1:MQTT-3.12.4-1] [3.1.1:MQTT-3.1.0-2]
    [5.0:MQTT-3.2.0-1] [5.0:MQTT-3.2.0-2] [5.0:MQTT-3.1.4-5] [5.0:MQTT-3.12.4-1] [5.0:MQTT-3.1.0-2]"""
    c = clients.raw(broker, "firstack", version=version, clean=False, prop_bytes=_session(version))
    c.subscribe(("first/t", 1))
    c.disconnect()
    pub = clients.raw(broker, "firstpub", version=version)
    for i in range(3):
        pub.publish("first/t", b"q%d" % i, qos=1)

    s = clients.raw_socket(broker)
    s.send(rawmqtt.connect("firstack", version=version, clean=False, props=_session(version)))
    got = []
    p = s.recv_packet()
    got.append(p)
    assert p is not None and p.type == CONNACK, f"first packet is not CONNACK: {p!r}"
    if version == 4:
        assert (p.flags, p.body) == (0, b"\x01\x00")
    else:
        assert p.flags == 0 and p.body[:2] == b"\x01\x00"
    for i in range(3):
        p = s.recv_packet()
        got.append(p)
        m = Pub(p, version)
        assert m.payload == b"q%d" % i
        s.send(puback(m.packet_id, version))
    s.send(b"\xc0\x00")
    p = s.recv_packet()
    got.append(p)
    assert (p.type, p.flags, p.body) == (PINGRESP, 0, b"")
    s.send(rawmqtt.connect("firstack", version=version, clean=False, props=_session(version)))
    while True:
        p = s.recv_packet()
        if p is None:
            break
        got.append(p)
    tail = got[5:]
    if version == 4:
        assert tail == [], f"3.1.1: packets after a second CONNECT: {tail}"
    else:
        assert [x.type for x in tail] == [DISCONNECT] and parse_disconnect(tail[0])[0] == PROTOCOL_ERROR, tail
    assert [x.type for x in got].count(CONNACK) == 1


def test_connack_reason_codes_from_table_3_1(make_broker, tmp_path):
    """5.0: every CONNACK the server sends, accepting or refusing, uses a Connect Reason Code of
    Table 3-1 (each refusal here with its specific code), with Session Present 0 when refusing, and
    the connection is closed after a refusal.
    [5.0:MQTT-3.2.2-8] [5.0:MQTT-3.2.2-6] [5.0:MQTT-3.2.2-7] [5.0:MQTT-3.1.4-2] [5.0:MQTT-4.13.2-1]"""
    b = make_broker("max_client_id_size = 8\nmax_message_size = 100")
    cases = [
        ("accepted", raw5.connect5("okay"), 0x00),
        ("protocol level 6", _connect_bytes(6, 0x02, utf8("c")), 0x84),
        ("client identifier too long", raw5.connect5("ninechars"), 0x85),
        ("authentication method", raw5.connect5("am", properties=raw5.prop(raw5.AUTH_METHOD, "SCRAM-SHA-1")), 0x8C),
        ("receive maximum 0", raw5.connect5("rm0", properties=raw5.prop(raw5.RECEIVE_MAXIMUM, 0)), 0x82),
        ("will property in CONNECT", raw5.connect5("wd", properties=raw5.prop(raw5.WILL_DELAY, 5)), 0x81),
        ("will payload too large", raw5.connect5("big", will=("w/t", b"x" * 101, 0, False)), 0x95),
        ("will topic in $SYS", raw5.connect5("sys", will=("$SYS/w", b"x", 0, False)), 0x87),
        ("will topic with wildcard", raw5.connect5("wild", will=("w/#", b"x", 0, False)), 0x90),
        ("will payload not UTF-8", raw5.connect5("pfi", will=("w/t", b"\xff", 0, False,
                                                               raw5.prop(raw5.PAYLOAD_FORMAT, 1))), 0x99),
    ]
    for what, data, want in cases:
        c = rawmqtt.RawClient(b.port)
        try:
            c.send(data)
            ack = raw5.Connack(c.recv_packet())
            assert ack.reason in CONNECT_REASON_CODES, f"{what}: {ack.reason:#x} is not a Connect Reason Code"
            assert ack.reason == want, f"{what}: reason {ack.reason:#x}, expected {want:#x}"
            if want >= 0x80:
                assert ack.session_present == 0, what
                assert c.recv_packet() is None, f"{what}: not closed after a refusing CONNACK"
        finally:
            c.close()
    # allow_anonymous = off without an authentication plugin: Not authorized.
    d = tmp_path / "noanon"
    d.mkdir()
    nb = Broker(d, "allow_anonymous = off")
    try:
        c = rawmqtt.RawClient(nb.port)
        c.send(raw5.connect5("anon", username="u", password="p"))
        ack = raw5.Connack(c.recv_packet())
        assert (ack.reason, ack.session_present) == (0x87, 0)
        assert c.recv_packet() is None
        c.close()
    finally:
        assert nb.stop_and_check() == []


def test_full_qos_and_retain_capability(broker, clients):
    """5.0: the CONNACK carries no Maximum QoS and no Retain Available, which announces QoS 2 and
    retained messages; the server honours that: SUBSCRIBE with Requested QoS 0, 1 and 2 is granted
    as asked, a QoS 2 PUBLISH is accepted and delivered at QoS 2, a retained one is stored, and a
    CONNECT with Will QoS 2 and Will Retain 1 is accepted.
    [5.0:MQTT-3.2.2-9] [5.0:MQTT-3.2.2-10]"""
    c = clients.raw(broker, "capable", version=5)
    assert 0x24 not in c.connack_props and 0x25 not in c.connack_props, c.connack_props
    assert c.subscribe(("cap/0", 0), ("cap/1", 1), ("cap/2", 2)) == [0, 1, 2]
    pub = clients.raw(broker, "cappub", version=5)
    assert pub.publish("cap/2", b"two", qos=2, retain=True) == 0x00
    m = c.expect_publish()
    assert (m.topic, m.payload, m.qos) == ("cap/2", b"two", 2)
    c.ack(m)
    late = clients.raw(broker, "caplate", version=5)
    late.subscribe(("cap/2", 2))
    m = late.expect_publish()
    assert (m.payload, m.qos, m.retain) == (b"two", 2, True)
    late.ack(m)
    w = clients.raw(broker, "capwill", version=5, will=("cap/will", b"w", 2, True, b""))
    assert w.rc == 0


# ---- Problem information and Maximum Packet Size on acknowledgements -------------------------------

@pytest.mark.parametrize("limit", ["request_problem_information_0", "maximum_packet_size_16"])
def test_acknowledgements_without_reason_string_or_user_property(broker, limit):
    """5.0: with Request Problem Information 0, or with a Maximum Packet Size of 16 bytes, the
    acknowledgements the server sends (SUBACK with 0x8F, UNSUBACK 0x11, PUBACK 0x10 and 0x99,
    PUBREC 0x99, PUBCOMP 0x92, PUBREL 0x92 and 0x00, PUBACK/PUBREC/PUBCOMP 0x00) carry no Reason
    String and no User Property, and none is larger than 16 bytes under that limit. PUBREL uses a
    PUBREL Reason Code (0x00, or 0x92 for an unknown Packet Identifier).
    [5.0:MQTT-3.1.2-29] [5.0:MQTT-3.1.2-24] [5.0:MQTT-3.4.2-2] [5.0:MQTT-3.4.2-3] [5.0:MQTT-3.5.2-2]
    [5.0:MQTT-3.5.2-3] [5.0:MQTT-3.6.2-1] [5.0:MQTT-3.6.2-2] [5.0:MQTT-3.6.2-3] [5.0:MQTT-3.7.2-2]
    [5.0:MQTT-3.7.2-3] [5.0:MQTT-3.9.2-1] [5.0:MQTT-3.9.2-2] [5.0:MQTT-3.11.2-1] [5.0:MQTT-3.11.2-2]
    [5.0:MQTT-3.4.2-1] [5.0:MQTT-3.5.2-1] [5.0:MQTT-3.7.2-1]"""
    if limit == "request_problem_information_0":
        connect_props, max_size = raw5.prop(raw5.REQUEST_PROBLEM_INFO, 0), None
    else:
        connect_props, max_size = raw5.prop(raw5.MAXIMUM_PACKET_SIZE, 16), 16
    c, _ = raw5.open5(broker.port, "acks", properties=connect_props)
    seen = []

    def recv():
        p = c.recv_packet()
        assert p is not None, "connection closed"
        seen.append(p)
        return p

    def ack(want_type, want_id, want_reasons):
        a = raw5.Ack(recv())
        assert (a.type, a.packet_id) == (want_type, want_id)
        got = a.reasons if want_type in (SUBACK, UNSUBACK) else [a.reason]
        assert got == want_reasons, f"type {want_type}: {got}"

    c.send(raw5.subscribe5([("ack/t", 2), ("a/#/b", 0)], packet_id=1))
    ack(SUBACK, 1, [2, raw5.TOPIC_FILTER_INVALID])
    c.send(raw5.unsubscribe(["not/subscribed"], packet_id=2))
    ack(UNSUBACK, 2, [raw5.NO_SUBSCRIPTION_EXISTED])
    c.send(raw5.publish5("nobody/listens", b"x", qos=1, packet_id=3))
    ack(PUBACK, 3, [raw5.NO_MATCHING_SUBSCRIBERS])
    c.send(raw5.publish5("ack/t", b"\xff", qos=1, packet_id=4, properties=raw5.prop(raw5.PAYLOAD_FORMAT, 1)))
    ack(PUBACK, 4, [raw5.PAYLOAD_FORMAT_INVALID])
    c.send(raw5.publish5("ack/t", b"\xff", qos=2, packet_id=5, properties=raw5.prop(raw5.PAYLOAD_FORMAT, 1)))
    ack(PUBREC, 5, [raw5.PAYLOAD_FORMAT_INVALID])
    c.send(raw5.pubrel(6))
    ack(PUBCOMP, 6, [0x92])
    c.send(raw5.pubrec(7))
    ack(PUBREL, 7, [0x92])
    # A QoS 2 message to its own subscription: PUBREC/PUBCOMP for its PUBLISH, and the server's
    # own PUBLISH and PUBREL towards it.
    c.send(raw5.publish5("ack/t", b"y", qos=2, packet_id=8))
    first, second = recv(), recv()
    mine = first if first.type == PUBREC else second
    theirs = raw5.Publish(second if first.type == PUBREC else first)
    assert raw5.Ack(mine).packet_id == 8 and raw5.Ack(mine).reason == 0
    assert (theirs.topic, theirs.payload, theirs.qos) == ("ack/t", b"y", 2)
    c.send(raw5.pubrel(8))
    ack(PUBCOMP, 8, [0])
    c.send(raw5.pubrec(theirs.packet_id))
    ack(PUBREL, theirs.packet_id, [0])
    c.send(raw5.pubcomp(theirs.packet_id))
    assert raw5.nothing_more(c, 0.2)
    c.close()
    for p in seen:
        if p.type != PUBLISH:
            a = raw5.Ack(p)
            assert raw5.REASON_STRING not in a.props and raw5.USER_PROPERTY not in a.props, (p, a.props)
        if max_size is not None:
            assert _packet_size(p) <= max_size, f"{_packet_size(p)} bytes > Maximum Packet Size {max_size}: {p!r}"




@pytest.mark.parametrize("case", ["suback_for_20_filters", "connack_with_assigned_client_identifier"])
def test_no_packet_beyond_client_maximum_packet_size(broker, case):
    """5.0: the server must not send any packet larger than the Maximum Packet Size the client gave
    in CONNECT (16 bytes here), whatever else it does instead: a SUBACK for 20 filters or a CONNACK
    carrying an Assigned Client Identifier cannot fit, so the connection is closed instead.
    [5.0:MQTT-3.1.2-24]"""
    limit = raw5.prop(raw5.MAXIMUM_PACKET_SIZE, 16)
    c = rawmqtt.RawClient(broker.port)
    try:
        if case == "suback_for_20_filters":
            c.send(raw5.connect5("mps16", properties=limit))
            first = c.recv_packet()
            assert first is not None and first.type == CONNACK and _packet_size(first) <= 16
            c.send(raw5.subscribe5([(f"f{i}", 0) for i in range(20)], packet_id=1))
        else:
            c.send(raw5.connect5("", properties=limit))
        sizes = []
        while True:
            try:
                p = c.recv_packet(0.3)
            except TimeoutError:
                break
            if p is None:
                break
            sizes.append((p.type, _packet_size(p)))
        assert all(n <= 16 for _, n in sizes), f"(type, bytes) sent: {sizes}"
    finally:
        c.close()


# ---- SUBSCRIBE / SUBACK, UNSUBSCRIBE / UNSUBACK ------------------------------------------------------

def test_v311_suback_and_unsuback_exact(broker, clients):
    """3.1.1: a SUBSCRIBE (id 0xABCD) with four filters, one invalid, is answered by one SUBACK
    90 06 AB CD 00 80 02 01: same Packet Identifier, one return code per filter in order, granted
    QoS or 0x80; each valid filter works as if subscribed alone, at min(publish QoS, granted QoS).
    An UNSUBSCRIBE with three filters gets one UNSUBACK B0 02 12 34 (its id), also when nothing
    was subscribed; afterwards only the unsubscribed filter stops delivering.
    [3.1.1:MQTT-2.3.1-7] [3.1.1:MQTT-3.8.4-1] [3.1.1:MQTT-3.8.4-2] [3.1.1:MQTT-3.8.4-4]
    [3.1.1:MQTT-3.8.4-5] [3.1.1:MQTT-3.8.4-6] [3.1.1:MQTT-3.9.3-1] [3.1.1:MQTT-3.9.3-2]
    [3.1.1:MQTT-3.10.3-1] [3.1.1:MQTT-3.10.4-2] [3.1.1:MQTT-3.10.4-4] [3.1.1:MQTT-3.10.4-5]
    [3.1.1:MQTT-3.10.4-6] [3.1.1:MQTT-3.10.4-1]"""
    c = clients.raw(broker, "exactacks")
    c.send(rawmqtt.subscribe([("j/a", 0), ("j/#/x", 1), ("k/+", 2), ("l/#", 1)], packet_id=0xABCD))
    p = c.recv()
    assert (p.type, p.flags, p.body) == (SUBACK, 0, b"\xab\xcd\x00\x80\x02\x01"), p
    pub = clients.raw(broker, "exactpub")
    for t in ("j/a", "k/x", "l/m/n"):
        pub.publish(t, t.encode(), qos=2)
    got = c.publishes(3)
    assert [(m.topic, m.qos) for m in got] == [("j/a", 0), ("k/x", 2), ("l/m/n", 1)]
    for m in got:
        c.ack(m)
    c.send(raw5.unsubscribe(["nothing/here", "j/a", "zz/#"], packet_id=0x1234, version=4))
    p = c.recv()
    assert (p.type, p.flags, p.body) == (UNSUBACK, 0, b"\x12\x34"), p
    c.send(raw5.unsubscribe(["never/subscribed"], packet_id=0x0102, version=4))
    p = c.recv()
    assert (p.type, p.flags, p.body) == (UNSUBACK, 0, b"\x01\x02"), p
    assert c.nothing_for(0.2), "more than one UNSUBACK"
    pub.publish("j/a", b"gone", qos=1)
    pub.publish("k/x", b"kept", qos=1)
    m = c.expect_publish()
    assert (m.topic, m.payload) == ("k/x", b"kept")
    c.ack(m)
    assert c.nothing_for(0.3), "message delivered for an unsubscribed filter"


@pytest.mark.parametrize("version", [4, 5])
def test_unsubscribe_matches_filters_character_by_character(broker, clients, version):
    """UNSUBSCRIBE removes only a subscription whose filter is the same string: 'k/#', 'k/x/m',
    'K/+/m', 'k/+/m/' and 'k/+' leave 'k/+/m' in place (5.0: 0x11 for each); 'k/+/m' removes it.
    [3.1.1:MQTT-3.10.4-1] [5.0:MQTT-3.10.4-1] [3.1.1:MQTT-3.10.4-2] [5.0:MQTT-3.10.4-2]"""
    c = clients.raw(broker, "unsubexact", version=version)
    c.subscribe(("k/+/m", 1))
    pub = clients.raw(broker, "unsubpub", version=version)
    c.send(raw5.unsubscribe(["k/#", "k/x/m", "K/+/m", "k/+/m/", "k/+"], packet_id=2, version=version))
    a = raw5.Ack(c.recv_type(UNSUBACK), v5=version == 5)
    assert a.packet_id == 2
    if version == 5:
        assert a.reasons == [raw5.NO_SUBSCRIPTION_EXISTED] * 5
    pub.publish("k/x/m", b"still", qos=1)
    m = c.expect_publish()
    assert m.payload == b"still"
    c.ack(m)
    c.send(raw5.unsubscribe(["k/+/m"], packet_id=3, version=version))
    a = raw5.Ack(c.recv_type(UNSUBACK), v5=version == 5)
    assert a.packet_id == 3 and (version == 4 or a.reasons == [0])
    pub.publish("k/x/m", b"after", qos=1)
    assert c.nothing_for(0.3)


@pytest.mark.parametrize("version", [4, 5])
def test_unsubscribe_completes_inflight_delivery(broker, clients, version):
    """QoS 1 and QoS 2 messages the server has started to send are delivered completely after the
    client unsubscribes: the QoS 2 exchange goes on (PUBREC -> PUBREL), and on reconnect of the
    persistent session the unacknowledged ones are re-sent (DUP, same ids); new messages on the
    filter are not sent any more.
    [3.1.1:MQTT-3.10.4-3] [5.0:MQTT-3.10.4-3] [3.1.1:MQTT-3.10.4-2] [5.0:MQTT-3.10.4-2]"""
    kw = {"version": version, "clean": False, "prop_bytes": _session(version)}
    sub = clients.raw(broker, "unsubflight", **kw)
    sub.subscribe(("uf/#", 2))
    pub = clients.raw(broker, "unsubflightpub", version=version)
    pub.publish("uf/1", b"one", qos=1)
    pub.publish("uf/2", b"two", qos=2)
    pub.publish("uf/3", b"three", qos=2)
    one, two, three = sub.publishes(3)
    assert [(m.payload, m.qos) for m in (one, two, three)] == [(b"one", 1), (b"two", 2), (b"three", 2)]
    sub.send(raw5.unsubscribe(["uf/#"], packet_id=9, version=version))
    assert raw5.Ack(sub.recv_type(UNSUBACK), v5=version == 5).packet_id == 9
    pub.publish("uf/4", b"after unsubscribe", qos=1)
    sub.send(pubrec(three.packet_id, version))
    rel = sub.recv_type(PUBREL)
    assert parse_ack(rel, version)[0] == three.packet_id
    sub.drop()  # "one" and "two" unacknowledged, "three" waits for PUBCOMP
    sub = clients.raw(broker, "unsubflight", **kw)
    assert sub.session_present == 1
    got = [sub.recv() for _ in range(3)]
    pubs = sorted((Pub(p, version) for p in got if p.type == PUBLISH), key=lambda m: m.payload)
    rels = [p for p in got if p.type == PUBREL]
    assert [(m.payload, m.dup, m.packet_id) for m in pubs] == [(b"one", True, one.packet_id),
                                                               (b"two", True, two.packet_id)], got
    assert len(rels) == 1 and parse_ack(rels[0], version)[0] == three.packet_id
    sub.send(pubcomp(three.packet_id, version))
    for m in pubs:
        sub.ack(m)
    assert sub.nothing_for(0.3), "a message published after UNSUBSCRIBE was delivered"


@pytest.mark.parametrize("version", [4, 5])
def test_resubscribe_replaces_without_losing_messages(broker, clients, version):
    """Subscribing again to the same filter (QoS 0 -> 1) while messages flow replaces the
    subscription: SUBACK grants 1, the retained message is sent again, each of the 40 messages
    published meanwhile arrives exactly once and in order, and afterwards a message arrives once,
    at QoS 1 (one subscription, not two).
    [3.1.1:MQTT-3.8.4-3] [5.0:MQTT-3.8.4-3] [5.0:MQTT-3.8.4-4]"""
    keeper = clients.raw(broker, "rskeeper", version=version)
    keeper.publish("rs/t", b"kept", qos=1, retain=True)
    sub = clients.raw(broker, "rssub", version=version)
    sub.subscribe(("rs/t", 0))
    m = sub.expect_publish()
    assert (m.payload, m.retain, m.qos) == (b"kept", True, 0)
    pub = rawmqtt.RawClient(broker.port)
    pub.send(rawmqtt.connect("rspub", version=version))
    assert pub.recv_packet().type == CONNACK
    burst = lambda lo, hi: b"".join(rawmqtt.publish("rs/t", b"m%02d" % i, qos=1, packet_id=i + 1, version=version)
                                    for i in range(lo, hi))
    pub.send(burst(0, 20))
    sub.send(rawmqtt.subscribe([("rs/t", 1)], packet_id=77, version=version))
    pub.send(burst(20, 40))
    for _ in range(40):
        assert pub.recv_packet().type == PUBACK
    live, retained, subacks = [], [], []
    deadline = time.time() + 5
    while len(live) < 40 or not retained or not subacks:
        assert time.time() < deadline, (len(live), retained, subacks)
        p = sub.recv()
        if p.type == SUBACK:
            subacks.append(p)
            continue
        m = Pub(p, version)
        if m.qos == 1:
            sub.send(puback(m.packet_id, version))
        (retained if m.retain else live).append(m)
    assert raw5.Ack(subacks[0], v5=version == 5).reasons == [1]
    assert [m.payload for m in retained] == [b"kept"] and retained[0].qos == 1
    assert [m.payload for m in live] == [b"m%02d" % i for i in range(40)], "lost, repeated or reordered"
    pub2 = clients.raw(broker, "rspub2", version=version)
    pub2.publish("rs/t", b"final", qos=1)
    m = sub.expect_publish()
    assert (m.payload, m.qos) == (b"final", 1)
    sub.ack(m)
    assert sub.nothing_for(0.2), "two subscriptions after re-subscribing"
    pub.close()


@pytest.mark.parametrize("version", [4, 5])
def test_filters_must_be_utf8_without_nul(broker, version):
    """A SUBSCRIBE or UNSUBSCRIBE whose Topic Filter is not well-formed UTF-8 or contains U+0000
    is malformed: 3.1.1 closes the connection, 5.0 sends DISCONNECT 0x81 and closes. A 3.1.1
    UNSUBSCRIBE without any filter is a protocol violation and closes too.
    [3.1.1:MQTT-3.8.3-1] [3.1.1:MQTT-3.10.3-1] [3.1.1:MQTT-3.10.3-2] [3.1.1:MQTT-4.7.3-2]
    [3.1.1:MQTT-1.5.3-1] [3.1.1:MQTT-1.5.3-2] [5.0:MQTT-3.8.3-1] [5.0:MQTT-3.10.3-1]
    [5.0:MQTT-4.7.3-2] [5.0:MQTT-1.5.4-1] [5.0:MQTT-1.5.4-2]"""
    cases = [
        ("SUBSCRIBE, invalid UTF-8", rawmqtt.subscribe([(b"a/\xff", 0)], version=version)),
        ("SUBSCRIBE, surrogate", rawmqtt.subscribe([(b"a/\xed\xa0\x80", 0)], version=version)),
        ("SUBSCRIBE, U+0000", rawmqtt.subscribe([(b"a\x00b", 0)], version=version)),
        ("UNSUBSCRIBE, invalid UTF-8", raw5.unsubscribe([b"a/\xc3"], version=version)),
        ("UNSUBSCRIBE, U+0000", raw5.unsubscribe([b"a/\x00"], version=version)),
    ]
    if version == 4:
        cases.append(("UNSUBSCRIBE, no filter", packet(0xA2, b"\x00\x01")))
    for what, data in cases:
        if version == 5:
            c, _ = raw5.open5(broker.port, "badfilter")
        else:
            c, _ = raw5.open311(broker.port, "badfilter")
        try:
            c.send(data)
            if version == 5:
                raw5.expect_disconnect(c, MALFORMED)
            else:
                p = c.recv_packet()
                assert p is None, f"{what}: expected a close, got {p!r}"
        finally:
            c.close()
    raw5.check_alive(broker.port, f"filters{version}")


# ---- Topics ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", [4, 5])
def test_topic_of_65535_bytes(broker, clients, version):
    """The longest topic a UTF-8 string can hold (65,535 bytes) works as a Topic Name and as a
    Topic Filter: an exact subscription and a '#' subscription both receive it, topic intact.
    [3.1.1:MQTT-4.7.3-3] [5.0:MQTT-4.7.3-3]"""
    topic = "L/" + "x" * 65533
    assert len(topic.encode()) == 65535
    exact = clients.raw(broker, "longexact", version=version)
    exact.subscribe((topic, 1))
    wild = clients.raw(broker, "longwild", version=version)
    wild.subscribe(("L/#", 1))
    pub = clients.raw(broker, "longpub", version=version)
    pub.publish(topic, b"long", qos=1)
    for s in (exact, wild):
        m = s.expect_publish()
        assert (m.topic, m.payload) == (topic, b"long")
        s.ack(m)


@pytest.mark.parametrize("version", [4, 5])
def test_byte_order_mark_in_topic_kept(broker, clients, version):
    """U+FEFF (EF BB BF) at the start of a topic is a character like any other: not skipped or
    stripped. A filter with it matches and the topic arrives with it; the same filter without it
    does not match; 5.0 User Properties keep it too.
    [3.1.1:MQTT-1.5.3-3] [5.0:MQTT-1.5.4-3]"""
    bom = "\ufeff"
    with_bom = clients.raw(broker, "bom1", version=version)
    with_bom.subscribe((bom + "bom/t", 1))
    without = clients.raw(broker, "bom2", version=version)
    without.subscribe(("bom/t", 1))
    hash_sub = clients.raw(broker, "bom3", version=version)
    hash_sub.subscribe(("#", 1))
    pub = clients.raw(broker, "bompub", version=version)
    user_props = props((P_USER_PROPERTY, (bom + "k", bom + "v"))) if version == 5 else b""
    pub.publish(bom + "bom/t", b"marked", qos=1, prop_bytes=user_props)
    for s in (with_bom, hash_sub):
        m = s.expect_publish()
        assert m.topic.encode() == b"\xef\xbb\xbfbom/t" and m.payload == b"marked"
        if version == 5:
            assert m.props.all(P_USER_PROPERTY) == [(bom + "k", bom + "v")]
        s.ack(m)
    assert without.nothing_for(0.2), "a filter without U+FEFF matched a topic with it"


# ---- PUBLISH handling: authorization, identifiers, expiry ---------------------------------------------

@pytest.mark.parametrize("version", [4, 5])
def test_unauthorized_publish_acknowledged_not_delivered(broker, clients, version):
    """A PUBLISH the server does not authorize ($SYS belongs to the broker) is acknowledged
    normally on 3.1.1 (PUBACK 40 02 id, PUBREC 50 02 id then PUBCOMP) and with 0x87 Not authorized
    on 5.0; the connection stays open and the message is not delivered.
    [3.1.1:MQTT-3.3.5-2] [5.0:MQTT-3.4.2-1] [5.0:MQTT-3.5.2-1]"""
    watch = clients.raw(broker, "syswatch", version=version)
    watch.subscribe(("$SYS/forbidden/#", 1))
    c = clients.raw(broker, "sysbad", version=version)
    c.send(rawmqtt.publish("$SYS/forbidden/q1", b"x", qos=1, packet_id=5, version=version))
    a = c.recv()
    if version == 4:
        assert (a.type, a.flags, a.body) == (PUBACK, 0, b"\x00\x05")
    else:
        assert a.type == PUBACK and parse_ack(a, 5)[:2] == (5, 0x87)
    c.send(rawmqtt.publish("$SYS/forbidden/q2", b"x", qos=2, packet_id=6, version=version))
    a = c.recv()
    if version == 4:
        assert (a.type, a.flags, a.body) == (PUBREC, 0, b"\x00\x06")
        c.send(pubrel(6, version))
        a = c.recv()
        assert (a.type, a.body) == (PUBCOMP, b"\x00\x06")
    else:
        assert a.type == PUBREC and parse_ack(a, 5)[:2] == (6, 0x87)
    c.send(rawmqtt.publish("$SYS/forbidden/q0", b"x", version=version))
    c.send(b"\xc0\x00")
    assert c.recv().type == PINGRESP, "connection not usable after an unauthorized PUBLISH"
    assert watch.nothing_for(0.3), "an unauthorized PUBLISH was delivered"


@pytest.mark.parametrize("version", [4, 5])
def test_qos1_id_reused_after_puback_is_a_new_message(broker, clients, version):
    """Once the server has sent PUBACK for QoS 1 id 9, a PUBLISH with id 9 is a new message, with
    or without DUP: all three are delivered.
    [3.1.1:MQTT-4.3.2-2] [5.0:MQTT-4.3.2-5] [5.0:MQTT-4.3.2-4]"""
    sub = clients.raw(broker, "reusesub", version=version)
    sub.subscribe(("reuse/t", 1))
    pub = clients.raw(broker, "reusepub", version=version)
    for body, dup in ((b"first", False), (b"second", True), (b"second", True)):
        assert pub.publish("reuse/t", body, qos=1, pid=9, dup=dup) in (0, None)
    got = sub.publishes(3, ack=True)
    assert [m.payload for m in got] == [b"first", b"second", b"second"]


def _refused_then_reused(port, refused_publish, code):
    """Sends `refused_publish` (QoS 2, id 11), expects PUBREC `code`, then a new QoS 2 PUBLISH with
    id 11 and no PUBREL in between: it must be a new message, acknowledged and delivered once."""
    sub, _ = raw5.open5(port, "refsub")
    raw5.subscribe_ok(sub, [("t9/#", 2)])
    c, _ = raw5.open5(port, "refpub")
    c.send(refused_publish)
    a = raw5.Ack(c.recv_packet())
    assert (a.type, a.packet_id, a.reason) == (PUBREC, 11, code)
    c.send(raw5.publish5("t9/a", b"new message", qos=2, packet_id=11))
    a = raw5.Ack(c.recv_packet())
    assert (a.type, a.packet_id, a.reason) == (PUBREC, 11, 0x00)
    c.send(raw5.pubrel(11))
    a = raw5.Ack(c.recv_packet())
    assert (a.type, a.packet_id, a.reason) == (PUBCOMP, 11, 0x00)
    try:
        m = raw5.Publish(sub.recv_packet(1))
    except TimeoutError:
        pytest.fail("the new message with the re-used Packet Identifier was not delivered")
    assert (m.topic, m.payload, m.qos) == ("t9/a", b"new message", 2)
    sub.send(raw5.pubrec(m.packet_id))
    assert raw5.Ack(sub.recv_packet()).type == PUBREL
    sub.send(raw5.pubcomp(m.packet_id))
    assert raw5.nothing_more(sub, 0.2)
    c.close()
    sub.close()


def test_qos2_id_after_refusing_pubrec_is_a_new_message(broker):
    """5.0: after the server answered a QoS 2 PUBLISH with PUBREC 0x99 (Payload format invalid),
    that exchange is over: a new PUBLISH with the same Packet Identifier (no PUBREL in between, as
    the client sends none after a refusal) is a new message: PUBREC 0x00, PUBCOMP 0x00 after
    PUBREL, delivered once.
    [5.0:MQTT-4.3.3-9] [5.0:MQTT-4.3.3-8] [5.0:MQTT-4.3.3-11]"""
    _refused_then_reused(broker.port, raw5.publish5("t9/a", b"\xff", qos=2, packet_id=11,
                                                    properties=raw5.prop(raw5.PAYLOAD_FORMAT, 1)), 0x99)


def test_qos2_id_reusable_after_not_authorized_pubrec(broker):
    """5.0: the same as above after PUBREC 0x87 (Not authorized, a QoS 2 PUBLISH to $SYS): the next
    QoS 2 PUBLISH with that Packet Identifier is a new message and is delivered.
    [5.0:MQTT-4.3.3-9]"""
    _refused_then_reused(broker.port, raw5.publish5("$SYS/t9", b"x", qos=2, packet_id=11), 0x87)


def test_qos2_exchange_continues_after_message_expiry(broker, clients):
    """5.0: a QoS 2 message with Message Expiry Interval 1 s whose exchanges outlive the interval:
    as receiver, the server still answers the late PUBREL with PUBCOMP 0x00 (not 0x92); as
    sender, it still answers the subscriber's late PUBREC with PUBREL 0x00.
    [5.0:MQTT-4.3.3-13] [5.0:MQTT-4.3.3-7] [5.0:MQTT-4.3.3-4] [5.0:MQTT-4.3.3-11]"""
    sub = clients.raw(broker, "expsub", version=5)
    sub.subscribe(("exp2/t", 2))
    pub = clients.raw(broker, "exppub", version=5)
    pub.send(raw5.publish5("exp2/t", b"short", qos=2, packet_id=21, properties=raw5.prop(raw5.MESSAGE_EXPIRY, 1)))
    a = pub.recv_type(PUBREC)
    assert parse_ack(a, 5)[:2] == (21, 0)
    m = sub.expect_publish()
    assert (m.payload, m.qos) == (b"short", 2)
    time.sleep(1.2)  # the expiry has to pass: there is no event to wait for
    pub.send(pubrel(21, 5))
    a = pub.recv_type(PUBCOMP)
    assert parse_ack(a, 5)[:2] == (21, 0)
    sub.send(pubrec(m.packet_id, 5))
    rel = sub.recv_type(PUBREL)
    assert parse_ack(rel, 5)[:2] == (m.packet_id, 0)
    sub.send(pubcomp(m.packet_id, 5))
    assert sub.nothing_for(0.2)


@pytest.mark.parametrize("version", [4, 5])
def test_server_packet_ids_are_unused_ones(broker, clients, version):
    """The server gives each QoS 1/2 PUBLISH it sends a non-zero Packet Identifier that is not in
    use: 20 unacknowledged messages have 20 distinct ids; after the QoS 1 ones are acknowledged
    and the QoS 2 ones are only at PUBREL, 10 new messages get ids distinct from each other and
    from the 10 still in use.
    [3.1.1:MQTT-2.3.1-4] [3.1.1:MQTT-2.3.1-1] [3.1.1:MQTT-4.3.2-1] [3.1.1:MQTT-4.3.3-1]
    [5.0:MQTT-2.2.1-4] [5.0:MQTT-4.3.2-1] [5.0:MQTT-4.3.3-1]"""
    sub = clients.raw(broker, "pidsub", version=version)
    sub.subscribe(("pid/#", 2))
    pub = clients.raw(broker, "pidpub", version=version)
    for i in range(20):
        pub.publish("pid/t", b"m%d" % i, qos=1 + i % 2)
    first = sub.publishes(20)
    ids = [m.packet_id for m in first]
    assert 0 not in ids and len(set(ids)) == 20, ids
    for m in first:
        if m.qos == 1:
            sub.send(puback(m.packet_id, version))
        else:
            sub.send(pubrec(m.packet_id, version))
    held = {m.packet_id for m in first if m.qos == 2}
    for _ in range(10):
        assert parse_ack(sub.recv_type(PUBREL), version)[0] in held
    for i in range(10):
        pub.publish("pid/t", b"n%d" % i, qos=1)
    more = sub.publishes(10)
    new_ids = [m.packet_id for m in more]
    assert 0 not in new_ids and len(set(new_ids)) == 10, new_ids
    assert not set(new_ids) & held, f"ids still in use were given out again: {set(new_ids) & held}"
    for pid in held:
        sub.send(pubcomp(pid, version))
    for m in more:
        sub.send(puback(m.packet_id, version))
    assert sub.nothing_for(0.2)


@pytest.mark.parametrize("version", [4, 5])
def test_session_kept_while_connected(broker, clients, version):
    """A session that ends with its connection (3.1.1 clean session, 5.0 Session Expiry 0) keeps
    its state as long as the connection is open, past the broker's once-a-second session sweep:
    its subscription still delivers, and a QoS 2 PUBLISH received before the wait is still known
    (a DUP re-send is acknowledged, not delivered again).
    [3.1.1:MQTT-4.1.0-2] [3.1.1:MQTT-4.1.0-1] [5.0:MQTT-4.1.0-1]"""
    c = clients.raw(broker, "lasting", version=version)
    c.subscribe(("last/#", 1))
    watch = clients.raw(broker, "lastwatch", version=version)
    watch.subscribe(("lw/t", 2))
    c.send(rawmqtt.publish("lw/t", b"once", qos=2, packet_id=3, version=version))
    assert parse_ack(c.recv_type(PUBREC), version)[0] == 3
    time.sleep(1.2)  # longer than the session sweep period (1 s)
    c.send(rawmqtt.publish("lw/t", b"once", qos=2, packet_id=3, dup=True, version=version))
    assert parse_ack(c.recv_type(PUBREC), version)[0] == 3
    c.send(pubrel(3, version))
    assert parse_ack(c.recv_type(PUBCOMP), version)[0] == 3
    m = watch.expect_publish()
    assert m.payload == b"once"
    watch.ack(m)
    assert watch.nothing_for(0.2), "QoS 2 message delivered twice"
    pub = clients.raw(broker, "lastpub", version=version)
    pub.publish("last/x", b"still subscribed", qos=1)
    m = c.expect_publish()
    assert m.payload == b"still subscribed"
    c.ack(m)


@pytest.mark.parametrize("version", [4, 5])
def test_nothing_processed_after_disconnect(broker, clients, version):
    """A client must send nothing after DISCONNECT; bytes that still follow it (here a retained
    PUBLISH in the same write) are not processed: the server closes the connection, the PUBLISH is
    neither delivered nor retained, and the will is discarded.
    [3.1.1:MQTT-3.14.4-2] [3.1.1:MQTT-3.14.4-3] [5.0:MQTT-3.14.4-1] [5.0:MQTT-3.14.4-3]"""
    watch = clients.raw(broker, "afterwatch", version=version)
    watch.subscribe(("after/#", 1))
    c = clients.raw(broker, "afterdisc", version=version, will=("after/will", b"w", 1, False))
    c.send(b"\xe0\x00" + rawmqtt.publish("after/t", b"too late", qos=0, retain=True, version=version))
    assert c.closed_by_server()
    assert c.pending == [], c.pending
    assert watch.nothing_for(0.3), "a PUBLISH sent after DISCONNECT was processed"
    late = clients.raw(broker, "afterlate", version=version)
    late.subscribe(("after/#", 1))
    assert late.nothing_for(0.2), "a PUBLISH sent after DISCONNECT was retained"


# ---- Shared subscriptions: interrupted QoS 2 delivery ------------------------------------------------

def _shared_pair(clients, broker, names, expiry):
    members = {}
    for n in names:
        c = clients.raw(broker, n, version=5, clean=False, prop_bytes=_session(5, expiry) if expiry else b"")
        c.subscribe(("$share/g2/sq/t", 2))
        members[n] = c
    return members


def _who_got_it(members):
    """The member that received the next PUBLISH (not acknowledged), and that PUBLISH."""
    deadline = time.time() + 5
    while time.time() < deadline:
        for n, c in members.items():
            if not c.nothing_for(0.05):
                return n, c.expect_publish()
    raise AssertionError("no member received the message")


def test_shared_qos2_interrupted_delivery_completes_on_reconnect(broker, clients):
    """5.0: a QoS 2 message sent to one member of a shared subscription, whose connection is lost
    before it acknowledged, is completed with that member when it reconnects (PUBLISH re-sent,
    DUP 1, same id) and is never sent to the other member.
    [5.0:MQTT-4.8.2-4]"""
    members = _shared_pair(clients, broker, ("sa", "sb"), 60)
    pub = clients.raw(broker, "sqpub", version=5)
    pub.publish("sq/t", b"exactly there", qos=2)
    chosen, m = _who_got_it(members)
    other = members["sb" if chosen == "sa" else "sa"]
    members[chosen].drop()
    assert other.nothing_for(0.3), "the interrupted message went to the other member"
    back = clients.raw(broker, chosen, version=5, clean=False, prop_bytes=_session(5))
    assert back.session_present == 1
    again = back.expect_publish()
    assert (again.payload, again.qos, again.dup, again.packet_id) == (b"exactly there", 2, True, m.packet_id)
    back.ack(again)
    assert back.nothing_for(0.2) and other.nothing_for(0.1)


def test_shared_qos2_not_redirected_when_member_session_ends(broker, clients):
    """5.0: when the member holding an unacknowledged QoS 2 message of a shared subscription loses
    its connection and its session ends with it (Session Expiry 0), the message is not sent to
    the other member; later messages go to the remaining member.
    [5.0:MQTT-4.8.2-5]"""
    members = _shared_pair(clients, broker, ("sc", "sd"), 0)
    pub = clients.raw(broker, "sqpub2", version=5)
    pub.publish("sq/t", b"dies with the session", qos=2)
    chosen, _ = _who_got_it(members)
    other = members["sd" if chosen == "sc" else "sc"]
    members[chosen].drop()
    assert other.nothing_for(0.3), "the message went to the other member"
    pub.publish("sq/t", b"later", qos=2)
    m = other.expect_publish()
    assert m.payload == b"later", f"the other member received {m.payload!r}"
    other.ack(m)
    assert other.nothing_for(0.3)


# ---- 5.0 packet details --------------------------------------------------------------------------------

def test_auth_with_reserved_flags_is_malformed(broker):
    """5.0: an AUTH packet whose fixed header flags are not 0 is malformed: DISCONNECT 0x81 (an
    AUTH with correct flags but no Authentication Method earns 0x82, test_07).
    [5.0:MQTT-3.15.1-1] [5.0:MQTT-2.1.3-1]"""
    for first in (0xF1, 0xF2, 0xF8):
        c, _ = raw5.open5(broker.port, "authflags")
        c.send(bytes([first]) + b"\x02\x18\x00")
        raw5.expect_disconnect(c, MALFORMED)
        c.close()
    raw5.check_alive(broker.port, "auth")


def test_response_topic_must_be_utf8(broker):
    """5.0: a Response Topic that is not well-formed UTF-8 makes the PUBLISH malformed: DISCONNECT
    0x81, and the message is not delivered.
    [5.0:MQTT-3.3.2-13] [5.0:MQTT-1.5.4-1]"""
    sub, _ = raw5.open5(broker.port, "rtsub")
    raw5.subscribe_ok(sub, [("rt/t", 0)])
    c, _ = raw5.open5(broker.port, "rtpub")
    c.send(raw5.publish5("rt/t", b"x", properties=raw5.prop(raw5.RESPONSE_TOPIC, b"reply/\xff")))
    raw5.expect_disconnect(c, MALFORMED)
    c.close()
    assert raw5.nothing_more(sub, 0.2)
    sub.close()
